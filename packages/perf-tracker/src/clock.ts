/**
 * Where the tracker reads time. Durations, timers and the sliding window all go through it, so
 * tests can pass a fake clock and get exact figures without sleeping.
 */
export interface PerfClock {
  /** A monotonic reading in milliseconds, with sub-millisecond precision (like `performance.now()`). */
  now(): number;
}

/** The default clock: `performance.now()`, monotonic and high-resolution. */
export const performanceClock: PerfClock = {
  now: () => performance.now(),
};
