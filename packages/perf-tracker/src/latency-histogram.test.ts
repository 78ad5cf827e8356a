import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "./latency-histogram.js";

describe("LatencyHistogram", () => {
  it("gives exact percentiles below 2048 µs", () => {
    const histogram = new LatencyHistogram(60_000, 3);
    for (let micros = 1000; micros >= 1; micros--) histogram.record(micros / 1000);
    expect(histogram.percentiles(1)).toEqual({ p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 });
  });

  it("keeps percentiles within 0.1 % over a wide range", () => {
    const histogram = new LatencyHistogram(60_000, 3);
    for (let ms = 1; ms <= 10_000; ms++) histogram.record(ms);
    const expected = { p50: 5_000, p90: 9_000, p99: 9_900, p999: 9_990 };
    const actual = histogram.percentiles(10_000);
    for (const key of ["p50", "p90", "p99", "p999"] as const) {
      expect(Math.abs(actual[key] - expected[key]) / expected[key]).toBeLessThanOrEqual(0.001);
    }
  });

  it("caps percentiles at the largest recorded value", () => {
    const histogram = new LatencyHistogram(60_000, 3);
    // 1234.567 ms lands in a bucket whose top is above it.
    histogram.record(1234.567);
    expect(histogram.percentiles(1234.567)).toEqual({
      p50: 1234.567,
      p90: 1234.567,
      p99: 1234.567,
      p999: 1234.567,
    });
    expect(histogram.percentiles(Number.POSITIVE_INFINITY).p50).toBeGreaterThan(1234.567);
  });

  it("counts durations past the range as its top and negative ones as 0", () => {
    const histogram = new LatencyHistogram(100, 3);
    histogram.record(5_000);
    histogram.record(-3);
    expect(histogram.percentiles(5_000)).toMatchObject({ p50: 0, p999: expect.closeTo(100, 1) });
  });

  it("reports zeros when empty", () => {
    expect(new LatencyHistogram(100, 3).percentiles(0)).toEqual({ p50: 0, p90: 0, p99: 0, p999: 0 });
  });
});
