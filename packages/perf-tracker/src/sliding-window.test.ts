import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { PerformanceTracker } from "./performance-tracker.js";
import { SlidingWindow, windowCoveredMs } from "./sliding-window.js";

describe("SlidingWindow", () => {
  it("keeps a call until its bucket leaves the window", () => {
    const window = new SlidingWindow(1_000, 10);
    window.record(500, 2, false);
    window.record(900, 4, true);
    const totals = (now: number) => window.addTotals(now, { count: 0, errors: 0, sumMs: 0 });
    expect(totals(9_999)).toEqual({ count: 2, errors: 1, sumMs: 6 });
    expect(totals(10_000)).toEqual({ count: 0, errors: 0, sumMs: 0 });
  });

  it("reuses a slot for a later bucket without mixing in the old counts", () => {
    const window = new SlidingWindow(1_000, 10);
    window.record(1_500, 1, true);
    window.record(11_500, 1, false);
    expect(window.addTotals(11_500, { count: 0, errors: 0, sumMs: 0 })).toEqual({
      count: 1,
      errors: 0,
      sumMs: 1,
    });
  });

  it("handles negative clock readings", () => {
    const window = new SlidingWindow(1_000, 3);
    window.record(-1_500, 1, false);
    expect(window.addTotals(0, { count: 0, errors: 0, sumMs: 0 }).count).toBe(1);
    expect(window.addTotals(1_000, { count: 0, errors: 0, sumMs: 0 }).count).toBe(0);
  });
});

describe("windowCoveredMs", () => {
  it.each([
    [10_000, 9_000],
    [10_250, 9_250],
    [10_999, 9_999],
  ])("at %i ms a 10 s window of 1 s buckets covers %i ms", (now, covered) => {
    expect(windowCoveredMs(now, 1_000, 10_000)).toBe(covered);
  });
});

describe("PerformanceTracker sliding window", () => {
  function setup() {
    const clock = new FakeClock(0);
    const tracker = new PerformanceTracker("orders", { clock, windowMs: 10_000, bucketMs: 1_000 });
    return { clock, tracker };
  }

  it("divides by the tracker's age while it is younger than the window", () => {
    const { clock, tracker } = setup();
    for (let i = 0; i < 50; i++) {
      tracker.measure("op", () => clock.advance(10));
      clock.advance(90);
    }
    // 50 calls over 5 s
    expect(tracker.snapshot().window).toMatchObject({ count: 50, throughputRps: 10, meanMs: 10 });
  });

  it("never divides by less than one bucket", () => {
    const { clock, tracker } = setup();
    clock.advance(100);
    for (let i = 0; i < 5; i++) tracker.record("op", 1);
    expect(tracker.snapshot().window.throughputRps).toBe(5);
  });

  it("computes throughput and error rate over the covered part of a full window", () => {
    const { clock, tracker } = setup();
    clock.set(20_000);
    tracker.reset();
    // 30 calls in each of the next 12 seconds, 3 failed in each of the last 6.
    for (let second = 0; second < 12; second++) {
      for (let i = 0; i < 30; i++) tracker.record("op", 2, { failed: second >= 6 && i < 3 });
      clock.advance(1_000);
    }
    // Now 32 000: the window holds buckets 23..32, i.e. seconds 3..11 of the loop (9 × 30 calls)
    // and covers 9 000 ms.
    expect(tracker.snapshot().window).toEqual({
      count: 270,
      errors: 18,
      meanMs: 2,
      throughputRps: 30,
      errorRatePercent: (18 / 270) * 100,
    });
  });

  it("forgets calls once they are a window old", () => {
    const { clock, tracker } = setup();
    tracker.record("op", 1, { failed: true });
    clock.advance(9_999);
    expect(tracker.snapshot().window).toMatchObject({ count: 1, errors: 1, errorRatePercent: 100 });
    clock.advance(1);
    expect(tracker.snapshot().window).toMatchObject({
      count: 0,
      errors: 0,
      errorRatePercent: 0,
      throughputRps: 0,
    });
    // The lifetime totals stay.
    expect(tracker.snapshot().operations.op).toMatchObject({ count: 1, errors: 1 });
  });

  it("gives each operation its own window and sums them for the service", () => {
    const { clock, tracker } = setup();
    clock.advance(2_000);
    for (let i = 0; i < 4; i++) tracker.record("read", 1);
    tracker.record("write", 5, { failed: true });
    const snapshot = tracker.snapshot();
    expect(snapshot.operations.read?.window).toMatchObject({
      count: 4,
      throughputRps: 2,
      errorRatePercent: 0,
    });
    expect(snapshot.operations.write?.window).toMatchObject({
      count: 1,
      throughputRps: 0.5,
      errorRatePercent: 100,
    });
    expect(snapshot.window).toEqual({
      count: 5,
      errors: 1,
      meanMs: 1.8,
      throughputRps: 2.5,
      errorRatePercent: 20,
    });
  });
});
