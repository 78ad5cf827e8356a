import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createPrometheusExporter, PerformanceTracker, toHealthMetrics } from "../src/index.js";

// The README's example, kept in step by hand: if this changes, change the README too.
describe("README example", () => {
  it("runs as written and yields the documented shapes", async () => {
    const tracker = new PerformanceTracker("orders");

    const total = tracker.measure("sum", () => 1 + 2);
    const user = await tracker.measure("db.load-user", async () => ({ id: "u1" }));

    const timer = tracker.startTimer("batch");
    const duration = timer.end({ failed: false });

    tracker.increment("cache.miss");
    tracker.setGauge("queue.depth", 4);

    const snapshot = tracker.snapshot();
    const performance_metrics = toHealthMetrics(snapshot);

    const exporter = createPrometheusExporter(tracker);
    const text = await exporter.metrics();

    expect(total).toBe(3);
    expect(user).toEqual({ id: "u1" });
    expect(duration).toBeGreaterThanOrEqual(0);
    expect(Object.keys(snapshot.operations)).toEqual(["batch", "db.load-user", "sum"]);
    expect(snapshot.counters).toEqual({ "cache.miss": 1 });
    expect(snapshot.gauges).toEqual({ "queue.depth": 4 });
    expect(Object.keys(performance_metrics)).toEqual([
      "response_time_ms",
      "throughput_rps",
      "error_rate_percent",
    ]);
    expect(performance_metrics.error_rate_percent).toBe(0);
    expect(text).toContain('perf_operation_duration_seconds_count{service="orders",operation="sum"} 1');
    expect(spawnSync("promtool", ["check", "metrics"], { input: text }).status).toBe(0);
  });
});
