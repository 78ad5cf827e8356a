import { statfsSync } from "node:fs";
import type { RequestStats } from "./request-stats.js";

/** The three states of SEED.md's "Standardized Health Check Format". */
export type HealthStatus = "healthy" | "degraded" | "unhealthy";

/** True for one of {@link HealthStatus}. */
export function isHealthStatus(value: unknown): value is HealthStatus {
  return value === "healthy" || value === "degraded" || value === "unhealthy";
}

/** The standard health body every platform service returns from `GET /health`. */
export interface HealthReport {
  service_name: string;
  status: HealthStatus;
  timestamp: string;
  version: string;
  uptime_seconds: number;
  performance_metrics: { response_time_ms: number; throughput_rps: number; error_rate_percent: number };
  system_resources: { cpu_usage_percent: number; memory_usage_mb: number; disk_usage_percent: number };
  dependencies: Record<string, string>;
  tenant_context: { active_tenants: number; tenant_isolation_status: HealthStatus };
}

/** What {@link buildHealthReport} needs to know about the service. */
export interface HealthReportInput {
  serviceName: string;
  version: string;
  status: HealthStatus;
  startedAtMs: number;
  nowMs: number;
  stats: RequestStats;
  dependencies: Record<string, string>;
}

// CPU is reported as the share of one core used since the previous report.
let lastCpu = process.cpuUsage();
let lastCpuAtMs = Date.now();

function cpuUsagePercent(nowMs: number): number {
  const used = process.cpuUsage(lastCpu);
  const elapsedMs = Math.max(nowMs - lastCpuAtMs, 1);
  lastCpu = process.cpuUsage();
  lastCpuAtMs = nowMs;
  return round(((used.user + used.system) / 1000 / elapsedMs) * 100);
}

function diskUsagePercent(): number {
  try {
    const fs = statfsSync(process.cwd());
    return round(((fs.blocks - fs.bfree) / Math.max(fs.blocks, 1)) * 100);
  } catch {
    // Some sandboxes refuse statfs; a health report must still be served.
    return 0;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Builds the standard health body from the service's current state. */
export function buildHealthReport(input: HealthReportInput): HealthReport {
  return {
    service_name: input.serviceName,
    status: input.status,
    timestamp: new Date(input.nowMs).toISOString(),
    version: input.version,
    uptime_seconds: round((input.nowMs - input.startedAtMs) / 1000),
    performance_metrics: {
      response_time_ms: round(input.stats.meanResponseTimeMs()),
      throughput_rps: round(input.stats.throughputRps(input.nowMs)),
      error_rate_percent: round(input.stats.errorRatePercent()),
    },
    system_resources: {
      cpu_usage_percent: cpuUsagePercent(input.nowMs),
      memory_usage_mb: round(process.memoryUsage().rss / 1024 / 1024),
      disk_usage_percent: diskUsagePercent(),
    },
    dependencies: input.dependencies,
    tenant_context: { active_tenants: input.stats.activeTenants(), tenant_isolation_status: "healthy" },
  };
}
