import * as http from "node:http";
import * as https from "node:https";
import { withDeadline } from "./deadline.js";
import { readReportedHealth } from "./health-body.js";
import { describeNetworkError } from "./network-error.js";
import type { Probe, ProbeResult, ProbeTarget } from "./probe.js";
import { type ProbeOptions, resolveProbeOptions, tlsOptions } from "./probe-options.js";
import { abortedResult, probeResult } from "./probe-result.js";
import { formatAuthority, healthUrl } from "./target-address.js";

/** What came back from one GET, before it is judged. */
type Exchange =
  | {
      readonly kind: "response";
      readonly statusCode: number;
      readonly statusText: string;
      readonly body: string;
    }
  | { readonly kind: "error"; readonly error: unknown; readonly reusedSocket: boolean };

/**
 * Creates the probe for `http` and `https` targets: a GET of the target's health path.
 *
 * - 2xx is passing, unless the body is in the platform's standard health format and says
 *   `"status": "degraded"` (warning) or `"unhealthy"` (critical);
 * - any other status is critical, the code in the message; redirects are not followed;
 * - connection errors, an aborted signal and `target.timeoutMs` passing are critical, never a
 *   rejection; the probe gives up at whichever of the signal and the timeout comes first.
 *
 * At most `maxBodyBytes` of the body are read. Connections are kept alive between probes;
 * `close()` destroys them.
 *
 * @example
 * const probe = createHttpProbe();
 * const result = await probe(target, AbortSignal.timeout(target.timeoutMs));
 */
export function createHttpProbe(options: ProbeOptions = {}): Probe {
  const resolved = resolveProbeOptions(options);
  const { clock, maxBodyBytes } = resolved;
  const agentOptions = {
    keepAlive: true,
    timeout: resolved.idleConnectionTimeoutMs,
    scheduling: "lifo",
  } as const;
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, ...tlsOptions(resolved) });

  const probe = (target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> =>
    withDeadline(clock, target.timeoutMs, signal, (bounded) => check(target, bounded));

  async function check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    const startedAt = clock.now();
    const elapsed = () => clock.now() - startedAt;
    if (signal.aborted) return abortedResult(signal, target, 0);
    let url: URL;
    try {
      url = healthUrl(target);
    } catch {
      // e.g. an IPv6 literal with a zone id ("fe80::1%eth0"), which WHATWG URLs cannot carry.
      return probeResult(
        "critical",
        `invalid health url for ${formatAuthority(target.host, target.port)}`,
        0,
      );
    }
    const agent = url.protocol === "https:" ? httpsAgent : httpAgent;
    let exchange = await get(url, agent, maxBodyBytes, signal);
    // A kept-alive socket may have been closed by the server just as we reused it; Node's
    // docs advise one retry on a fresh connection rather than reporting a false failure.
    if (exchange.kind === "error" && exchange.reusedSocket && !signal.aborted) {
      exchange = await get(url, agent, maxBodyBytes, signal);
    }
    if (signal.aborted) return abortedResult(signal, target, elapsed());
    if (exchange.kind === "error") {
      const where = formatAuthority(target.host, target.port);
      return probeResult("critical", describeNetworkError(exchange.error, where), elapsed());
    }
    return judge(exchange, elapsed());
  }

  return Object.assign(probe, {
    async close(): Promise<void> {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

function judge(exchange: Extract<Exchange, { kind: "response" }>, latencyMs: number): ProbeResult {
  const line = `${exchange.statusCode} ${exchange.statusText}`.trim();
  if (exchange.statusCode < 200 || exchange.statusCode > 299) {
    const note =
      exchange.statusCode >= 300 && exchange.statusCode < 400 ? " (redirects are not followed)" : "";
    return probeResult("critical", `${line}${note}`, latencyMs);
  }
  const reported = readReportedHealth(exchange.body);
  if (reported === "degraded") return probeResult("warning", `${line}, service reports degraded`, latencyMs);
  if (reported === "unhealthy")
    return probeResult("critical", `${line}, service reports unhealthy`, latencyMs);
  return probeResult("passing", line, latencyMs);
}

/** One GET; resolves with the response (body cut at `maxBodyBytes`) or the error, never rejects. */
function get(url: URL, agent: http.Agent, maxBodyBytes: number, signal: AbortSignal): Promise<Exchange> {
  return new Promise((resolve) => {
    let settled = false;
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "GET",
      agent,
      headers: { accept: "application/json, */*;q=0.5", "user-agent": "hub-health-check" },
    });
    const settle = (exchange: Exchange) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      resolve(exchange);
    };
    const onAbort = () => {
      settle({ kind: "error", error: signal.reason, reusedSocket: false });
      request.destroy();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => settle({ kind: "error", error, reusedSocket: request.reusedSocket }));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        settle({
          kind: "response",
          statusCode: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          body: Buffer.concat(chunks).toString("utf8"),
        });
      response.on("data", (chunk: Buffer) => {
        const room = maxBodyBytes - size;
        chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
        size += Math.min(room, chunk.length);
        if (size >= maxBodyBytes && !response.complete) {
          // Enough read: drop the connection instead of draining an unbounded body.
          done();
          response.destroy();
        }
      });
      response.on("end", done);
      response.on("error", (error) => settle({ kind: "error", error, reusedSocket: false }));
      response.on("close", () => {
        if (!response.complete) {
          settle({
            kind: "error",
            error: new Error("connection closed while reading the response"),
            reusedSocket: false,
          });
        }
      });
    });
    request.end();
  });
}
