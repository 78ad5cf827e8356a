import { describe, expect, it } from "vitest";
import { createFakeClock } from "../test/support/fake-clock.js";
import { createDeadline } from "./deadline.js";

describe("createDeadline", () => {
  it("gives each attempt the time left, not the original timeout", () => {
    const clock = createFakeClock();
    const deadline = createDeadline(clock, 1_000);
    expect(deadline.slice(null)).toEqual({ timeoutMs: 1_000, isRemainder: true });
    clock.advance(300);
    expect(deadline.slice(null)).toEqual({ timeoutMs: 700, isRemainder: true });
  });

  it("caps a slice at the attempt cap when more time is left", () => {
    const clock = createFakeClock();
    const deadline = createDeadline(clock, 1_000);
    expect(deadline.slice(400)).toEqual({ timeoutMs: 400, isRemainder: false });
    clock.advance(700);
    expect(deadline.slice(400)).toEqual({ timeoutMs: 300, isRemainder: true });
  });

  it("expires when less than a whole millisecond is left", () => {
    const clock = createFakeClock(0);
    const deadline = createDeadline(clock, 10);
    clock.advance(9.5);
    expect(deadline.expired()).toBe(true);
    expect(deadline.slice(null)).toEqual({ timeoutMs: 0, isRemainder: true });
  });

  it("rounds the time left down to whole milliseconds", () => {
    const clock = createFakeClock(0);
    const deadline = createDeadline(clock, 100);
    clock.advance(0.4);
    expect(deadline.slice(null).timeoutMs).toBe(99);
  });

  it("never expires without a timeout, and slices only by the cap", () => {
    const clock = createFakeClock();
    const deadline = createDeadline(clock, undefined);
    clock.advance(1e9);
    expect(deadline.expired()).toBe(false);
    expect(deadline.slice(null)).toEqual({ timeoutMs: undefined, isRemainder: false });
    expect(deadline.slice(250)).toEqual({ timeoutMs: 250, isRemainder: false });
  });
});
