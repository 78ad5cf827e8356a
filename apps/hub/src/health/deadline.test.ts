import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { isTimeout, startDeadline, withDeadline } from "./deadline.js";

describe("startDeadline", () => {
  it("aborts with a TimeoutError when the clock reaches the deadline", () => {
    const clock = new FakeClock();
    const { signal } = startDeadline(clock, 500);
    clock.advance(499);
    expect(signal.aborted).toBe(false);
    clock.advance(1);
    expect(isTimeout(signal.reason)).toBe(true);
  });

  it("follows its parent signal, keeping the parent's reason", () => {
    const clock = new FakeClock();
    const parent = new AbortController();
    const deadline = startDeadline(clock, 500, parent.signal);
    parent.abort(new Error("stop"));
    expect(deadline.signal.reason).toEqual(new Error("stop"));
    expect(isTimeout(deadline.signal.reason)).toBe(false);
    deadline.clear();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("starts aborted when the parent already is", () => {
    const parent = new AbortController();
    parent.abort();
    expect(startDeadline(new FakeClock(), 500, parent.signal).signal.aborted).toBe(true);
  });

  it("recognises AbortSignal.timeout reasons too", () => {
    expect(isTimeout(new DOMException("x", "TimeoutError"))).toBe(true);
    expect(isTimeout(new DOMException("x", "AbortError"))).toBe(false);
  });
});

describe("withDeadline", () => {
  it("disarms its timer once the work settles", async () => {
    const clock = new FakeClock();
    expect(await withDeadline(clock, 500, new AbortController().signal, async () => "done")).toBe("done");
    expect(clock.pendingTimers()).toBe(0);
  });
});
