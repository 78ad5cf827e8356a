import { Code, ConnectError, type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@hub/proto";
import { withDeadline } from "./deadline.js";
import { describeNetworkError } from "./network-error.js";
import type { Probe, ProbeResult, ProbeTarget } from "./probe.js";
import {
  type ProbeOptions,
  type ResolvedProbeOptions,
  resolveProbeOptions,
  tlsOptions,
} from "./probe-options.js";
import { abortedResult, probeResult } from "./probe-result.js";
import { formatAuthority } from "./target-address.js";

/** One pooled HTTP/2 connection and the targets that use it. */
interface Channel {
  readonly session: Http2SessionManager;
  readonly client: Client<typeof Health>;
  readonly users: Set<string>;
}

/**
 * Creates the probe for `grpc` and `h2c` targets: grpc.health.v1 `Health/Check` over HTTP/2
 * for the target's `grpcService` ("" asks about the whole server).
 *
 * SERVING is passing; NOT_SERVING, UNKNOWN and SERVICE_UNKNOWN are critical; an RPC error
 * (unimplemented when the server has no health service, unavailable when it cannot be reached,
 * ...) is critical with its code in the message. The probe gives up when `signal` aborts or
 * `target.timeoutMs` passes, whichever is first.
 *
 * One connection is kept per host:port and shared by every target there. `release(target)`
 * closes it once no target uses it any more; `close()` closes all of them.
 */
export function createGrpcProbe(options: ProbeOptions = {}): Probe {
  const resolved = resolveProbeOptions(options);
  const { clock } = resolved;
  const channels = new Map<string, Channel>();

  const probe = (target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> =>
    withDeadline(clock, target.timeoutMs, signal, (bounded) => check(target, bounded));

  async function check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    const startedAt = clock.now();
    const elapsed = () => clock.now() - startedAt;
    if (signal.aborted) return abortedResult(signal, target, 0);
    const channel = channelFor(channels, target, resolved);
    channel.users.add(target.key);
    try {
      const response = await channel.client.check({ service: target.grpcService }, { signal });
      return judge(response.status, target, elapsed());
    } catch (error) {
      if (signal.aborted) return abortedResult(signal, target, elapsed());
      return probeResult("critical", describeRpcError(error, target), elapsed());
    }
  }

  return Object.assign(probe, {
    release(target: ProbeTarget): void {
      const key = channelKey(target, resolved);
      const channel = channels.get(key);
      if (!channel) return;
      channel.users.delete(target.key);
      if (channel.users.size > 0) return;
      channels.delete(key);
      channel.session.abort();
    },
    async close(): Promise<void> {
      for (const channel of channels.values()) channel.session.abort();
      channels.clear();
    },
  });
}

function judge(
  status: HealthCheckResponse_ServingStatus,
  target: ProbeTarget,
  latencyMs: number,
): ProbeResult {
  const name = HealthCheckResponse_ServingStatus[status] ?? `status ${status}`;
  if (status === HealthCheckResponse_ServingStatus.SERVING) return probeResult("passing", name, latencyMs);
  const about = target.grpcService === "" ? "" : ` (service "${target.grpcService}")`;
  return probeResult("critical", `${name}${about}`, latencyMs);
}

function channelKey(target: ProbeTarget, options: ResolvedProbeOptions): string {
  const tls = target.protocol === "grpc" && options.grpcTls;
  return `${tls ? "https" : "http"}://${formatAuthority(target.host, target.port)}`;
}

function channelFor(
  channels: Map<string, Channel>,
  target: ProbeTarget,
  options: ResolvedProbeOptions,
): Channel {
  const baseUrl = channelKey(target, options);
  const existing = channels.get(baseUrl);
  if (existing) return existing;
  const session = new Http2SessionManager(
    baseUrl,
    { idleConnectionTimeoutMs: options.idleConnectionTimeoutMs },
    baseUrl.startsWith("https:") ? tlsOptions(options) : {},
  );
  const transport = createGrpcTransport({ baseUrl, sessionManager: session });
  const channel: Channel = { session, client: createClient(Health, transport), users: new Set() };
  channels.set(baseUrl, channel);
  return channel;
}

/** "grpc unimplemented: HTTP 404"; socket failures in the words the other probes use. */
function describeRpcError(error: unknown, target: ProbeTarget): string {
  const connectError = ConnectError.from(error);
  const code = codeName(connectError.code);
  // connect-node reports a refused or unresolvable connection as Unavailable with the socket error as cause.
  if (connectError.code === Code.Unavailable && hasErrorCode(connectError.cause)) {
    return `grpc ${code}: ${describeNetworkError(connectError.cause, formatAuthority(target.host, target.port))}`;
  }
  return `grpc ${code}: ${connectError.rawMessage}`;
}

function hasErrorCode(value: unknown): boolean {
  return typeof value === "object" && value !== null && "code" in value && typeof value.code === "string";
}

/** "Unimplemented" -> "unimplemented", "DeadlineExceeded" -> "deadline_exceeded", as gRPC spells codes. */
function codeName(code: Code): string {
  const name = Code[code] ?? String(code);
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
