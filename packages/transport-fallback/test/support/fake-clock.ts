import type { Clock } from "../../src/clock.js";

/** A clock that moves only when told to. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
}

/** Creates a fake clock starting at `start` ms. */
export function createFakeClock(start = 1_000_000): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}
