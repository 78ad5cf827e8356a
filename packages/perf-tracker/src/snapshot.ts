/**
 * Latency of one operation since the tracker started or was reset, in ms. Percentiles come from
 * the HDR histogram (within its precision, capped at `maxDurationMs`); `max` and `mean` are exact.
 */
export interface LatencySnapshot {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Calls in the sliding window (the last `windowMs`, moving one bucket at a time). */
export interface WindowSnapshot {
  readonly count: number;
  readonly errors: number;
  /** Mean duration of the calls in the window, in ms; 0 when there were none. */
  readonly meanMs: number;
  /**
   * Calls per second: `count` over the time the window covers, which is shorter than `windowMs`
   * while the tracker is younger than the window (never less than one bucket).
   */
  readonly throughputRps: number;
  /** Failed calls as a percentage of `count` (0 to 100); 0 when there were none. */
  readonly errorRatePercent: number;
}

/** One operation: every `measure`/timer call recorded under its name. */
export interface OperationSnapshot {
  /** Calls since the tracker started or was reset, failed ones included. */
  readonly count: number;
  /** Failed calls (thrown, rejected, or timers ended with `failed: true`) in `count`. */
  readonly errors: number;
  /** Exact sum of all durations, in ms. */
  readonly sumMs: number;
  readonly latencyMs: LatencySnapshot;
  readonly window: WindowSnapshot;
}

/**
 * Everything the tracker knows, as plain JSON-safe data: only strings, finite numbers and plain
 * objects, so `JSON.parse(JSON.stringify(snapshot))` equals it.
 */
export interface PerformanceSnapshot {
  readonly service: string;
  /** Milliseconds since the tracker was created or last reset. */
  readonly elapsedMs: number;
  /** Configured length of the sliding window, in ms. */
  readonly windowMs: number;
  /** Per operation name, in name order. */
  readonly operations: Readonly<Record<string, OperationSnapshot>>;
  /** All operations together over the sliding window; what `/health` reports. */
  readonly window: WindowSnapshot;
  readonly counters: Readonly<Record<string, number>>;
  readonly gauges: Readonly<Record<string, number>>;
}
