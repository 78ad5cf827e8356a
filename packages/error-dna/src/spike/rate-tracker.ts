/** Spike detection settings (resolved; see `SpikeOptions` for the defaults). */
export interface SpikeSettings {
  /** The recent window whose rate is compared with the baseline. */
  readonly windowMs: number;
  /** The window before the recent one that sets the normal rate. */
  readonly baselineMs: number;
  /** How many times the baseline rate the recent rate must reach. */
  readonly factor: number;
  /** Occurrences the recent window needs before anything counts as a spike. */
  readonly minCount: number;
}

/** Rates of one pattern at one instant. */
export interface RateSnapshot {
  readonly recentCount: number;
  readonly baselineCount: number;
  readonly recentPerMinute: number;
  readonly baselinePerMinute: number;
  /** The recent rate is at least `factor` times the baseline rate, with at least `minCount` occurrences. */
  readonly spiking: boolean;
}

// The recent window is split into this many buckets; counts are exact to one bucket.
const RECENT_BUCKETS = 6;
const MINUTE_MS = 60_000;

/**
 * Counts occurrences in fixed time buckets (a ring covering the baseline and the recent window),
 * so memory per pattern is constant whatever the rate. A pattern with no baseline that reaches
 * `minCount` in the recent window is spiking: a new error arriving in a burst.
 */
export class RateTracker {
  readonly #settings: SpikeSettings;
  readonly #bucketMs: number;
  readonly #counts: Uint32Array;
  #latest = Number.NEGATIVE_INFINITY;

  constructor(settings: SpikeSettings) {
    this.#settings = settings;
    this.#bucketMs = settings.windowMs / RECENT_BUCKETS;
    this.#counts = new Uint32Array(RECENT_BUCKETS + Math.ceil(settings.baselineMs / this.#bucketMs));
  }

  /** Counts `n` occurrences at `atMs`; times older than the ring are dropped. */
  record(atMs: number, n = 1): void {
    const bucket = Math.floor(atMs / this.#bucketMs);
    this.#advance(bucket);
    if (this.#latest - bucket >= this.#counts.length) return;
    const slot = this.#slot(bucket);
    this.#counts[slot] = (this.#counts[slot] ?? 0) + n;
  }

  /** Adds the counts of another tracker with the same settings (patterns merged). */
  absorb(other: RateTracker): void {
    if (other.#latest === Number.NEGATIVE_INFINITY) return;
    for (let age = 0; age < other.#counts.length; age++) {
      const bucket = other.#latest - age;
      const n = other.#counts[other.#slot(bucket)] ?? 0;
      if (n > 0) this.record(bucket * this.#bucketMs, n);
    }
  }

  /** The recent and baseline rates at `nowMs`. */
  snapshot(nowMs: number): RateSnapshot {
    const now = Math.floor(nowMs / this.#bucketMs);
    this.#advance(now);
    let recentCount = 0;
    let baselineCount = 0;
    for (let age = 0; age < this.#counts.length; age++) {
      const n = this.#counts[this.#slot(now - age)] ?? 0;
      if (age < RECENT_BUCKETS) recentCount += n;
      else baselineCount += n;
    }
    const baselineBuckets = this.#counts.length - RECENT_BUCKETS;
    const recentPerMinute = (recentCount * MINUTE_MS) / this.#settings.windowMs;
    const baselinePerMinute = (baselineCount * MINUTE_MS) / (baselineBuckets * this.#bucketMs);
    const spiking =
      recentCount >= this.#settings.minCount && recentPerMinute >= this.#settings.factor * baselinePerMinute;
    return { recentCount, baselineCount, recentPerMinute, baselinePerMinute, spiking };
  }

  // Moves the ring forward to `bucket`, clearing the buckets it skips over.
  #advance(bucket: number): void {
    if (bucket <= this.#latest) return;
    const steps =
      this.#latest === Number.NEGATIVE_INFINITY
        ? this.#counts.length
        : Math.min(bucket - this.#latest, this.#counts.length);
    for (let i = 0; i < steps; i++) this.#counts[this.#slot(bucket - i)] = 0;
    this.#latest = bucket;
  }

  #slot(bucket: number): number {
    const n = this.#counts.length;
    return ((bucket % n) + n) % n;
  }
}
