import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { toHealthMetrics } from "./health-metrics.js";
import { PerformanceTracker } from "./performance-tracker.js";

describe("toHealthMetrics", () => {
  it("reports the service's sliding window in the /health format", () => {
    const clock = new FakeClock(0);
    const tracker = new PerformanceTracker("orders", { clock });
    clock.advance(3_000);
    tracker.record("GET /orders", 10);
    tracker.record("GET /orders", 20);
    tracker.record("POST /orders", 31, { failed: true });
    expect(toHealthMetrics(tracker.snapshot())).toEqual({
      response_time_ms: 20.333,
      throughput_rps: 1,
      error_rate_percent: 33.33,
    });
  });

  it("works on a snapshot that went through JSON", () => {
    const window = { count: 3, errors: 1, meanMs: 1.23456, throughputRps: 0.1234, errorRatePercent: 100 / 3 };
    const snapshot = JSON.parse(JSON.stringify({ window }));
    expect(toHealthMetrics(snapshot)).toEqual({
      response_time_ms: 1.235,
      throughput_rps: 0.123,
      error_rate_percent: 33.33,
    });
  });

  it("reports zeros for a service that has seen no calls", () => {
    const tracker = new PerformanceTracker("idle", { clock: new FakeClock() });
    expect(toHealthMetrics(tracker.snapshot())).toEqual({
      response_time_ms: 0,
      throughput_rps: 0,
      error_rate_percent: 0,
    });
  });
});
