import { Counter, Gauge, type Registry } from "prom-client";
import { type PrometheusExporterOptions, resolvePrometheusExporterOptions } from "./options.js";
import { invalidArgument } from "./perf-tracker-error.js";
import type { PerformanceSnapshot } from "./snapshot.js";
import { SnapshotSummary } from "./snapshot-summary.js";

/** What the exporter reads: a `PerformanceTracker`, or anything with the same two members. */
export interface PerformanceSource {
  readonly serviceName: string;
  snapshot(): PerformanceSnapshot;
}

/** Serves trackers' figures as Prometheus metrics. */
export interface PrometheusExporter {
  /** The registry holding the metric families; merge it or register more metrics in it. */
  readonly registry: Registry;
  /** The `Content-Type` header to send with {@link PrometheusExporter.metrics}. */
  readonly contentType: string;
  /** The text exposition of every metric in the registry, read from the trackers now. */
  metrics(): Promise<string>;
}

/**
 * Registers the trackers' metric families in a prom-client registry. All series carry a `service`
 * label; names start with the prefix (default "perf_"):
 * - `operation_duration_seconds` (summary, quantiles 0.5/0.9/0.99/0.999, `_sum`, `_count`),
 * - `operation_errors_total` (counter),
 * - `operation_window_throughput` (gauge, calls per second over the sliding window),
 * - `operation_window_error_ratio` (gauge, 0 to 1 over the sliding window),
 * - `events_total` (counter) and `value` (gauge): the trackers' counters and gauges, named by a
 *   `counter` or `gauge` label (promtool rejects metric names containing "counter" or "gauge").
 *
 * @throws PerfTrackerError INVALID_ARGUMENT for a bad option or two trackers with one service name.
 * @example
 * const exporter = createPrometheusExporter(tracker);
 * res.setHeader("content-type", exporter.contentType);
 * res.end(await exporter.metrics());
 */
export function createPrometheusExporter(
  trackers: PerformanceSource | readonly PerformanceSource[],
  options?: PrometheusExporterOptions,
): PrometheusExporter {
  const { registry, prefix } = resolvePrometheusExporterOptions(options);
  const sources = isSourceList(trackers) ? trackers : [trackers];
  const seen = new Set<string>();
  for (const source of sources) {
    if (seen.has(source.serviceName)) {
      throw invalidArgument("trackers", `two trackers share the service name "${source.serviceName}"`);
    }
    seen.add(source.serviceName);
  }
  const read = scrapeCache(sources);
  const operationLabels = ["service", "operation"] as const;

  new SnapshotSummary({
    name: `${prefix}operation_duration_seconds`,
    help: "Duration of each operation since the tracker started or was reset.",
    registry,
    read,
  });
  new Counter({
    name: `${prefix}operation_errors_total`,
    help: "Failed calls of each operation since the tracker started or was reset.",
    labelNames: operationLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const { service, operation, stats } of operations(read()))
        this.inc({ service, operation }, stats.errors);
    },
  });
  new Gauge({
    name: `${prefix}operation_window_throughput`,
    help: "Calls per second of each operation over the tracker's sliding window.",
    labelNames: operationLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const { service, operation, stats } of operations(read())) {
        this.set({ service, operation }, stats.window.throughputRps);
      }
    },
  });
  new Gauge({
    name: `${prefix}operation_window_error_ratio`,
    help: "Failed share (0 to 1) of each operation's calls over the tracker's sliding window.",
    labelNames: operationLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const { service, operation, stats } of operations(read())) {
        this.set({ service, operation }, stats.window.errorRatePercent / 100);
      }
    },
  });
  new Counter({
    name: `${prefix}events_total`,
    help: "The trackers' named counters.",
    labelNames: ["service", "counter"],
    registers: [registry],
    collect() {
      this.reset();
      for (const snapshot of read()) {
        for (const [counter, value] of Object.entries(snapshot.counters)) {
          this.inc({ service: snapshot.service, counter }, value);
        }
      }
    },
  });
  new Gauge({
    name: `${prefix}value`,
    help: "The trackers' named gauges.",
    labelNames: ["service", "gauge"],
    registers: [registry],
    collect() {
      this.reset();
      for (const snapshot of read()) {
        for (const [gauge, value] of Object.entries(snapshot.gauges))
          this.set({ service: snapshot.service, gauge }, value);
      }
    },
  });

  return {
    registry,
    get contentType() {
      return registry.contentType;
    },
    metrics: () => registry.metrics(),
  };
}

/**
 * One snapshot per tracker per scrape. `Registry.metrics()` starts every family's `get()` in the
 * same tick, so the cache is dropped on the next microtask: the families of one scrape agree
 * with each other and a later scrape never sees stale figures.
 */
function scrapeCache(sources: readonly PerformanceSource[]): () => readonly PerformanceSnapshot[] {
  let cached: readonly PerformanceSnapshot[] | undefined;
  return () => {
    if (cached === undefined) {
      cached = sources.map((source) => source.snapshot());
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached;
  };
}

function* operations(snapshots: readonly PerformanceSnapshot[]) {
  for (const snapshot of snapshots) {
    for (const [operation, stats] of Object.entries(snapshot.operations)) {
      yield { service: snapshot.service, operation, stats };
    }
  }
}

function isSourceList(
  value: PerformanceSource | readonly PerformanceSource[],
): value is readonly PerformanceSource[] {
  return Array.isArray(value);
}
