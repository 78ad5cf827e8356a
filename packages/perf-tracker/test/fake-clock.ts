import type { PerfClock } from "../src/clock.js";

/** A clock that moves only when a test says so. */
export class FakeClock implements PerfClock {
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  set(ms: number): void {
    this.time = ms;
  }
}
