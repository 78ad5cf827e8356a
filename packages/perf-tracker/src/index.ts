export { type PerfClock, performanceClock } from "./clock.js";
export { type HealthMetrics, toHealthMetrics } from "./health-metrics.js";
export {
  defaultPerformanceTrackerOptions,
  defaultPrometheusExporterOptions,
  overflowOperationName,
  type PerformanceTrackerOptions,
  type PrometheusExporterOptions,
} from "./options.js";
export { PerfTrackerError, type PerfTrackerErrorCode } from "./perf-tracker-error.js";
export { PerformanceTracker } from "./performance-tracker.js";
export {
  createPrometheusExporter,
  type PerformanceSource,
  type PrometheusExporter,
} from "./prometheus-exporter.js";
export type {
  LatencySnapshot,
  OperationSnapshot,
  PerformanceSnapshot,
  WindowSnapshot,
} from "./snapshot.js";
export type { Timer, TimerEndOptions } from "./timer.js";
