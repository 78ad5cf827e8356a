import { type MetricObjectWithValues, type MetricValueWithName, type Registry, Summary } from "prom-client";
import type { PerformanceSnapshot } from "./snapshot.js";

type SummaryLabel = "service" | "operation" | "quantile";

const quantiles = [
  [0.5, "p50"],
  [0.9, "p90"],
  [0.99, "p99"],
  [0.999, "p999"],
] as const;

/**
 * A prom-client Summary whose samples come from the trackers' HDR histograms at scrape time.
 * prom-client's own Summary would keep a second copy of every duration (a t-digest) on the hot
 * path; this one observes nothing and only reports, while prom-client still owns the
 * registration, the escaping and the text format.
 * @internal
 */
export class SnapshotSummary extends Summary<SummaryLabel> {
  private readonly read: () => readonly PerformanceSnapshot[];

  constructor(config: {
    name: string;
    help: string;
    registry: Registry;
    read: () => readonly PerformanceSnapshot[];
  }) {
    super({
      name: config.name,
      help: config.help,
      labelNames: ["service", "operation"],
      registers: [config.registry],
    });
    this.read = config.read;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<SummaryLabel>>> {
    // The base gives name, help, type and aggregator; it has no values since nothing is observed.
    const base = await super.get();
    const values: MetricValueWithName<SummaryLabel>[] = [];
    for (const snapshot of this.read()) {
      for (const [operation, stats] of Object.entries(snapshot.operations)) {
        const labels = { service: snapshot.service, operation };
        for (const [quantile, key] of quantiles) {
          values.push({ labels: { ...labels, quantile }, value: stats.latencyMs[key] / 1000 });
        }
        values.push({ metricName: `${base.name}_sum`, labels, value: stats.sumMs / 1000 });
        values.push({ metricName: `${base.name}_count`, labels, value: stats.count });
      }
    }
    return { ...base, values };
  }
}
