import type { PerfClock } from "./clock.js";

/** How a manual timer's work ended. */
export interface TimerEndOptions {
  /** Count the call as failed. Default: false. */
  failed?: boolean;
}

/** A running manual timer from `tracker.startTimer(name)`. */
export interface Timer {
  /**
   * Stops the timer, records the call and returns its duration in ms. Only the first call
   * records; later ones return the same duration, so an `end()` in both a `catch` and a
   * `finally` cannot count a call twice.
   */
  end(options?: TimerEndOptions): number;
}

/**
 * A timer that started at clock time `start` and hands its end time and outcome to `onEnd`.
 * @internal
 */
export function createTimer(
  clock: PerfClock,
  start: number,
  onEnd: (end: number, failed: boolean) => void,
): Timer {
  let duration: number | undefined;
  return {
    end(options) {
      if (duration !== undefined) return duration;
      const end = clock.now();
      duration = end - start;
      onEnd(end, options?.failed === true);
      return duration;
    },
  };
}
