import type { PerformanceSnapshot } from "./snapshot.js";

/** The `performance_metrics` block of the platform's standard `/health` body (snake_case as on the wire). */
export interface HealthMetrics {
  /** Mean duration of the calls in the sliding window, in ms, to 3 decimals. */
  response_time_ms: number;
  /** Calls per second over the sliding window, to 3 decimals. */
  throughput_rps: number;
  /** Failed calls in the sliding window as a percentage (0 to 100), to 2 decimals. */
  error_rate_percent: number;
}

/**
 * Derives `/health`'s `performance_metrics` from a snapshot: all operations together over the
 * sliding window, so the figures describe the service now rather than since it started. Takes
 * only `window`, so a snapshot that went through JSON works too.
 *
 * @example
 * const body = { ...rest, performance_metrics: toHealthMetrics(tracker.snapshot()) };
 */
export function toHealthMetrics(snapshot: Pick<PerformanceSnapshot, "window">): HealthMetrics {
  const { meanMs, throughputRps, errorRatePercent } = snapshot.window;
  return {
    response_time_ms: round(meanMs, 3),
    throughput_rps: round(throughputRps, 3),
    error_rate_percent: round(errorRatePercent, 2),
  };
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
