import { build, type Histogram } from "hdr-histogram-js";

/** The percentiles the tracker reports, in ms. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
}

/**
 * An HDR histogram of durations at microsecond resolution over a bounded range. Recording is
 * O(1) and allocation-free; memory is fixed by the range and precision, not by the call count.
 * @internal
 */
export class LatencyHistogram {
  private readonly hdr: Histogram;
  private readonly highestMicros: number;

  constructor(maxDurationMs: number, significantDigits: 1 | 2 | 3 | 4 | 5) {
    this.highestMicros = maxDurationMs * 1000;
    this.hdr = build({
      // 64-bit (float) counts: 32-bit ones wrap silently after 2^31 calls in one bucket.
      bitBucketSize: 64,
      // A fixed range keeps memory bounded; out-of-range values are clamped in record().
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: Math.max(2, this.highestMicros),
      numberOfSignificantValueDigits: significantDigits,
    });
  }

  /** Records one duration; negative ones count as 0, those past the range as its top. */
  record(durationMs: number): void {
    const micros = Math.round(durationMs * 1000);
    // `!(micros > 0)` also catches NaN from a misbehaving clock.
    this.hdr.recordValue(!(micros > 0) ? 0 : Math.min(micros, this.highestMicros));
  }

  /**
   * The percentiles in ms, each capped at `maxMs`: HDR reports the top of a value's bucket,
   * which can lie a little above the largest value actually recorded.
   */
  percentiles(maxMs: number): Percentiles {
    if (this.hdr.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0 };
    const at = (percentile: number) => Math.min(this.hdr.getValueAtPercentile(percentile) / 1000, maxMs);
    return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9) };
  }
}
