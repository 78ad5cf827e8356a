import { isTimeout } from "./deadline.js";
import type { ProbeResult, ProbeStatus, ProbeTarget } from "./probe.js";

/** Builds a result; latency is clamped at 0 so a clock step backwards never yields a negative figure. */
export function probeResult(status: ProbeStatus, message: string, latencyMs: number): ProbeResult {
  return { status, message, latencyMs: Math.max(0, latencyMs) };
}

/** The result of a probe whose signal aborted: a timeout or a cancellation, both critical. */
export function abortedResult(signal: AbortSignal, target: ProbeTarget, latencyMs: number): ProbeResult {
  const message = isTimeout(signal.reason) ? `timed out after ${target.timeoutMs} ms` : "probe cancelled";
  return probeResult("critical", message, latencyMs);
}
