import { spawnSync } from "node:child_process";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { PerfTrackerError } from "./perf-tracker-error.js";
import { PerformanceTracker } from "./performance-tracker.js";
import { createPrometheusExporter } from "./prometheus-exporter.js";

function busyTracker(service = "orders") {
  const clock = new FakeClock(0);
  const tracker = new PerformanceTracker(service, { clock });
  clock.advance(2_000);
  // Below 2.048 ms the histogram is exact, so the quantiles below are too.
  tracker.record("db.query", 1);
  tracker.record("db.query", 2, { failed: true });
  tracker.record("cache.get", 0.25);
  tracker.increment("cache.miss", 3);
  tracker.setGauge("queue.depth", 7);
  return tracker;
}

/**
 * Runs Prometheus's own linter on an exposition. promtool comes from Debian's `prometheus`
 * package; CI installs it, so a missing binary fails here instead of skipping.
 */
function promtoolCheck(text: string) {
  const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (result.error !== undefined) {
    throw new Error(
      `promtool could not run (${result.error.message}); install it: apt-get install -y prometheus`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("createPrometheusExporter", () => {
  it("exposes durations as a summary from the HDR histograms", async () => {
    const text = await createPrometheusExporter(busyTracker()).metrics();
    expect(text).toContain("# TYPE perf_operation_duration_seconds summary\n");
    const lines = text.split("\n");
    const labels = 'service="orders",operation="db.query"';
    expect(lines).toEqual(
      expect.arrayContaining([
        `perf_operation_duration_seconds{${labels},quantile="0.5"} 0.001`,
        `perf_operation_duration_seconds{${labels},quantile="0.9"} 0.002`,
        `perf_operation_duration_seconds{${labels},quantile="0.99"} 0.002`,
        `perf_operation_duration_seconds{${labels},quantile="0.999"} 0.002`,
        `perf_operation_duration_seconds_sum{${labels}} 0.003`,
        `perf_operation_duration_seconds_count{${labels}} 2`,
        `perf_operation_duration_seconds_count{service="orders",operation="cache.get"} 1`,
      ]),
    );
  });

  it("exposes errors, the sliding window, counters and gauges", async () => {
    const lines = (await createPrometheusExporter(busyTracker()).metrics()).split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "# TYPE perf_operation_errors_total counter",
        'perf_operation_errors_total{service="orders",operation="db.query"} 1',
        'perf_operation_errors_total{service="orders",operation="cache.get"} 0',
        "# TYPE perf_operation_window_throughput gauge",
        'perf_operation_window_throughput{service="orders",operation="db.query"} 1',
        "# TYPE perf_operation_window_error_ratio gauge",
        'perf_operation_window_error_ratio{service="orders",operation="db.query"} 0.5',
        "# TYPE perf_events_total counter",
        'perf_events_total{service="orders",counter="cache.miss"} 3',
        "# TYPE perf_value gauge",
        'perf_value{service="orders",gauge="queue.depth"} 7',
      ]),
    );
  });

  it("reads the trackers anew on every scrape", async () => {
    const tracker = busyTracker();
    const exporter = createPrometheusExporter(tracker);
    await exporter.metrics();
    tracker.reset();
    tracker.record("fresh", 1);
    const text = await exporter.metrics();
    expect(text).not.toContain("db.query");
    expect(text).toContain('perf_operation_duration_seconds_count{service="orders",operation="fresh"} 1');
  });

  it("serves several trackers from one registry, told apart by the service label", async () => {
    const text = await createPrometheusExporter([busyTracker("orders"), busyTracker("billing")]).metrics();
    expect(text).toContain('perf_operation_errors_total{service="orders",operation="db.query"} 1');
    expect(text).toContain('perf_operation_errors_total{service="billing",operation="db.query"} 1');
    expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });

  it("refuses two trackers with one service name", () => {
    expect(() => createPrometheusExporter([busyTracker("a"), busyTracker("a")])).toThrow(PerfTrackerError);
  });

  it("registers in a registry it is given, beside the service's own metrics, with its prefix", async () => {
    const registry = new Registry();
    new Counter({ name: "app_requests_total", help: "Requests.", registers: [registry] });
    const exporter = createPrometheusExporter(busyTracker(), { registry, prefix: "orders_" });
    expect(exporter.registry).toBe(registry);
    const text = await exporter.metrics();
    expect(text).toContain("# TYPE app_requests_total counter");
    expect(text).toContain("# TYPE orders_operation_duration_seconds summary");
    expect(text).not.toContain("perf_");
    expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });

  it("names the Prometheus text format as its content type", () => {
    expect(createPrometheusExporter(busyTracker()).contentType).toBe(
      "text/plain; version=0.0.4; charset=utf-8",
    );
  });

  it("escapes awkward label values", async () => {
    const tracker = new PerformanceTracker('svc "x"', { clock: new FakeClock() });
    tracker.record('GET /a\\b "c"\nd', 1);
    const text = await createPrometheusExporter(tracker).metrics();
    expect(text).toContain(
      'perf_operation_errors_total{service="svc \\"x\\"",operation="GET /a\\\\b \\"c\\"\\nd"} 0',
    );
    expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });

  it("passes promtool check metrics without a lint finding", async () => {
    const text = await createPrometheusExporter(busyTracker()).metrics();
    expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });

  it("passes promtool check metrics before anything was recorded", async () => {
    const text = await createPrometheusExporter(new PerformanceTracker("idle")).metrics();
    expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });
});
