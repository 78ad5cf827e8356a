/** Successes and failures counted in the window. */
export interface OutcomeCounts {
  readonly successes: number;
  readonly failures: number;
}

interface Bucket {
  id: number;
  successes: number;
  failures: number;
}

/**
 * Counts call outcomes over the last `windowMs`, in `bucketCount` buckets so memory stays fixed
 * however many calls are made. The window moves one bucket at a time: at time `t` it holds the
 * bucket containing `t` and the `bucketCount - 1` before it (bucket `k` spans
 * `[k * bucketMs, (k + 1) * bucketMs)`, with `bucketMs = windowMs / bucketCount`).
 */
export class OutcomeWindow {
  readonly #bucketMs: number;
  readonly #buckets: Bucket[];

  constructor(windowMs: number, bucketCount: number) {
    this.#bucketMs = windowMs / bucketCount;
    this.#buckets = Array.from({ length: bucketCount }, () => ({
      id: Number.NaN,
      successes: 0,
      failures: 0,
    }));
  }

  /** Records one outcome at time `now`. */
  record(now: number, failed: boolean): void {
    const id = Math.floor(now / this.#bucketMs);
    const count = this.#buckets.length;
    const bucket = this.#buckets[((id % count) + count) % count]!;
    if (bucket.id !== id) {
      bucket.id = id;
      bucket.successes = 0;
      bucket.failures = 0;
    }
    if (failed) bucket.failures += 1;
    else bucket.successes += 1;
  }

  /** The outcomes recorded in the window that ends at `now`. */
  counts(now: number): OutcomeCounts {
    const current = Math.floor(now / this.#bucketMs);
    let successes = 0;
    let failures = 0;
    for (const bucket of this.#buckets) {
      if (bucket.id <= current && bucket.id > current - this.#buckets.length) {
        successes += bucket.successes;
        failures += bucket.failures;
      }
    }
    return { successes, failures };
  }

  /** Forgets every outcome. */
  clear(): void {
    for (const bucket of this.#buckets) bucket.id = Number.NaN;
  }
}
