import { describe, expect, it } from "vitest";
import { RateTracker, type SpikeSettings } from "./rate-tracker.js";

const MINUTE = 60_000;
// Recent window 6 minutes (1-minute buckets), baseline 60 minutes.
const settings: SpikeSettings = { windowMs: 6 * MINUTE, baselineMs: 60 * MINUTE, factor: 3, minCount: 5 };

function steady(tracker: RateTracker, fromMs: number, toMs: number, everyMs: number): void {
  for (let t = fromMs; t < toMs; t += everyMs) tracker.record(t);
}

describe("RateTracker", () => {
  it("is not spiking at a steady rate", () => {
    const tracker = new RateTracker(settings);
    steady(tracker, 0, 120 * MINUTE, MINUTE); // one per minute for two hours
    const snapshot = tracker.snapshot(120 * MINUTE - 1);
    expect(snapshot.recentCount).toBe(6);
    expect(snapshot.baselineCount).toBe(60);
    expect(snapshot.recentPerMinute).toBe(1);
    expect(snapshot.baselinePerMinute).toBe(1);
    expect(snapshot.spiking).toBe(false);
  });

  it("spikes when the recent rate reaches factor times the baseline", () => {
    const tracker = new RateTracker(settings);
    steady(tracker, 0, 66 * MINUTE, MINUTE);
    steady(tracker, 66 * MINUTE, 72 * MINUTE, 20_000); // three per minute for the last 6 minutes
    const snapshot = tracker.snapshot(72 * MINUTE - 1);
    expect(snapshot.recentPerMinute).toBe(3);
    expect(snapshot.baselinePerMinute).toBe(1);
    expect(snapshot.spiking).toBe(true);
  });

  it("calls a new pattern's burst a spike once it reaches minCount", () => {
    const tracker = new RateTracker(settings);
    for (let i = 0; i < 4; i++) tracker.record(i * 1000);
    expect(tracker.snapshot(4000).spiking).toBe(false);
    tracker.record(4000);
    expect(tracker.snapshot(4000).spiking).toBe(true);
  });

  it("stops spiking once the burst leaves the recent window", () => {
    const tracker = new RateTracker(settings);
    for (let i = 0; i < 10; i++) tracker.record(i);
    expect(tracker.snapshot(10).spiking).toBe(true);
    const later = tracker.snapshot(7 * MINUTE);
    expect(later.recentCount).toBe(0);
    expect(later.baselineCount).toBe(10);
    expect(later.spiking).toBe(false);
  });

  it("forgets occurrences older than the baseline window", () => {
    const tracker = new RateTracker(settings);
    tracker.record(0);
    expect(tracker.snapshot(67 * MINUTE).baselineCount).toBe(0);
    tracker.record(0); // older than the ring: dropped
    expect(tracker.snapshot(67 * MINUTE).baselineCount).toBe(0);
  });

  it("absorbs another tracker's counts", () => {
    const a = new RateTracker(settings);
    const b = new RateTracker(settings);
    a.record(MINUTE);
    b.record(2 * MINUTE);
    b.record(3 * MINUTE);
    a.absorb(b);
    expect(a.snapshot(3 * MINUTE).recentCount).toBe(3);
  });
});
