import * as net from "node:net";
import type { Clock } from "../clock.js";
import { withDeadline } from "./deadline.js";
import { describeNetworkError } from "./network-error.js";
import type { Probe, ProbeResult, ProbeTarget } from "./probe.js";
import { type ProbeOptions, resolveProbeOptions } from "./probe-options.js";
import { abortedResult, probeResult } from "./probe-result.js";
import { bareHost, formatAuthority } from "./target-address.js";

/**
 * Creates the probe for `tcp` targets: passing when a TCP connection to host:port opens
 * (it is closed at once), critical when it is refused or fails, or when the signal aborts or
 * `target.timeoutMs` passes first.
 * Holds no connections, so it needs no `close`.
 */
export function createTcpProbe(options: ProbeOptions = {}): Probe {
  const { clock } = resolveProbeOptions(options);
  return (target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> =>
    withDeadline(clock, target.timeoutMs, signal, (bounded) => connect(clock, target, bounded));
}

function connect(clock: Clock, target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
  const startedAt = clock.now();
  const elapsed = () => clock.now() - startedAt;
  if (signal.aborted) return Promise.resolve(abortedResult(signal, target, 0));
  const authority = formatAuthority(target.host, target.port);
  return new Promise((resolve) => {
    const socket = net.connect({ host: bareHost(target.host), port: target.port });
    const finish = (result: ProbeResult) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish(abortedResult(signal, target, elapsed()));
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => finish(probeResult("passing", `connected to ${authority}`, elapsed())));
    socket.once("error", (error) =>
      finish(probeResult("critical", describeNetworkError(error, authority), elapsed())),
    );
  });
}
