import { LatencyHistogram } from "./latency-histogram.js";
import type { ResolvedPerformanceTrackerOptions } from "./options.js";
import { SlidingWindow, toWindowSnapshot, type WindowTotals } from "./sliding-window.js";
import type { OperationSnapshot } from "./snapshot.js";

/**
 * Everything recorded for one operation name: exact totals, the HDR histogram and the sliding
 * window.
 * @internal
 */
export class OperationStats {
  private count = 0;
  private errors = 0;
  private sumMs = 0;
  private maxMs = 0;
  private readonly histogram: LatencyHistogram;
  private readonly window: SlidingWindow;

  constructor(options: ResolvedPerformanceTrackerOptions) {
    this.histogram = new LatencyHistogram(options.maxDurationMs, options.significantDigits);
    this.window = new SlidingWindow(options.bucketMs, options.windowMs / options.bucketMs);
  }

  /** Records one call of `durationMs` that ended at clock time `end`. */
  record(end: number, durationMs: number, failed: boolean): void {
    this.count++;
    if (failed) this.errors++;
    this.sumMs += durationMs;
    if (durationMs > this.maxMs) this.maxMs = durationMs;
    this.histogram.record(durationMs);
    this.window.record(end, durationMs, failed);
  }

  /** Adds this operation's calls in the window at `now` to `into`. */
  addWindowTotals(now: number, into: WindowTotals): WindowTotals {
    return this.window.addTotals(now, into);
  }

  snapshot(now: number, spanMs: number): OperationSnapshot {
    const totals = this.window.addTotals(now, { count: 0, errors: 0, sumMs: 0 });
    return {
      count: this.count,
      errors: this.errors,
      sumMs: this.sumMs,
      latencyMs: {
        ...this.histogram.percentiles(this.maxMs),
        max: this.maxMs,
        mean: this.count === 0 ? 0 : this.sumMs / this.count,
      },
      window: toWindowSnapshot(totals, spanMs),
    };
  }
}
