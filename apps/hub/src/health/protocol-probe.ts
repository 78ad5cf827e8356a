import { createGrpcProbe } from "./grpc-probe.js";
import { createHttpProbe } from "./http-probe.js";
import type { Probe, ProbeResult, ProbeTarget } from "./probe.js";
import type { ProbeOptions } from "./probe-options.js";
import { createTcpProbe } from "./tcp-probe.js";

/**
 * Creates the hub's default probe, which picks the check by the target's protocol:
 * HTTP GET for `http`/`https`, grpc.health.v1 for `grpc`/`h2c`, a TCP connect for `tcp`.
 * `release` and `close` reach the probes that hold connections.
 *
 * @throws HubError INVALID_ARGUMENT when an option is out of range.
 */
export function createProtocolProbe(options: ProbeOptions = {}): Probe {
  const http = createHttpProbe(options);
  const grpc = createGrpcProbe(options);
  const tcp = createTcpProbe(options);
  const pick = (target: ProbeTarget): Probe => {
    switch (target.protocol) {
      case "http":
      case "https":
        return http;
      case "grpc":
      case "h2c":
        return grpc;
      case "tcp":
        return tcp;
    }
  };
  const probe = (target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> =>
    pick(target)(target, signal);
  return Object.assign(probe, {
    release(target: ProbeTarget): void {
      pick(target).release?.(target);
    },
    async close(): Promise<void> {
      await Promise.all([http.close?.(), grpc.close?.(), tcp.close?.()]);
    },
  });
}
