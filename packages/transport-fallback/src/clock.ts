/**
 * Where the manager reads time: breaker windows, cool-downs, the shared call deadline and attempt
 * durations all go through it, so tests pass a fake clock and get exact results without sleeping.
 */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin (like `Date.now()`). */
  now(): number;
}

/** The default clock: `Date.now()`. */
export const systemClock: Clock = {
  now: () => Date.now(),
};
