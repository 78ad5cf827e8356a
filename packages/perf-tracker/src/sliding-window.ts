import type { WindowSnapshot } from "./snapshot.js";

/** Calls seen in the sliding window. */
export interface WindowTotals {
  count: number;
  errors: number;
  /** Sum of their durations in ms. */
  sumMs: number;
}

/**
 * Counts, errors and total duration over the last `bucketCount` buckets of `bucketMs` each: a
 * ring of buckets stamped with their index, so recording is O(1) and no timer is needed. Old
 * buckets are cleared lazily when their slot is reused.
 * @internal
 */
export class SlidingWindow {
  // Parallel typed arrays rather than bucket objects: no allocation on the hot path.
  private readonly stamps: Float64Array;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly sums: Float64Array;

  constructor(
    private readonly bucketMs: number,
    private readonly bucketCount: number,
  ) {
    this.stamps = new Float64Array(bucketCount).fill(Number.NaN);
    this.counts = new Float64Array(bucketCount);
    this.errors = new Float64Array(bucketCount);
    this.sums = new Float64Array(bucketCount);
  }

  /** Adds one call that ended at clock time `now`. */
  record(now: number, durationMs: number, failed: boolean): void {
    const index = Math.floor(now / this.bucketMs);
    const slot = this.slotOf(index);
    if (this.stamps[slot] !== index) {
      this.stamps[slot] = index;
      this.counts[slot] = 0;
      this.errors[slot] = 0;
      this.sums[slot] = 0;
    }
    this.counts[slot]! += 1;
    this.sums[slot]! += durationMs;
    if (failed) this.errors[slot]! += 1;
  }

  /** Adds the calls of the buckets still in the window at clock time `now` to `into`. */
  addTotals(now: number, into: WindowTotals): WindowTotals {
    const current = Math.floor(now / this.bucketMs);
    const oldest = current - this.bucketCount + 1;
    for (let slot = 0; slot < this.bucketCount; slot++) {
      const stamp = this.stamps[slot]!;
      // NaN stamps (never used) fail both comparisons.
      if (stamp >= oldest && stamp <= current) {
        into.count += this.counts[slot]!;
        into.errors += this.errors[slot]!;
        into.sumMs += this.sums[slot]!;
      }
    }
    return into;
  }

  private slotOf(index: number): number {
    // Clock readings may be negative (a fake clock), so take a non-negative remainder.
    return ((index % this.bucketCount) + this.bucketCount) % this.bucketCount;
  }
}

/**
 * How much time a window of `windowMs` in buckets of `bucketMs` covers at clock time `now`: the
 * whole buckets before the current one plus the part of the current one that has passed.
 * @internal
 */
export function windowCoveredMs(now: number, bucketMs: number, windowMs: number): number {
  return windowMs - bucketMs + (now - Math.floor(now / bucketMs) * bucketMs);
}

/** Derives the reported rates from window totals over `spanMs` of covered time. @internal */
export function toWindowSnapshot(totals: WindowTotals, spanMs: number): WindowSnapshot {
  const { count, errors, sumMs } = totals;
  return {
    count,
    errors,
    meanMs: count === 0 ? 0 : sumMs / count,
    throughputRps: count === 0 ? 0 : count / (spanMs / 1000),
    errorRatePercent: count === 0 ? 0 : (errors / count) * 100,
  };
}
