import type { ServiceSummary } from "../api/service-summary.js";
import type { Clock } from "../clock.js";
import type { InstanceStatus } from "../registry/instance.js";
import type { RequestMetrics } from "./request-metrics.js";
import type { SystemResourceSampler } from "./system-resources.js";

/** The platform's standard health format, field for field (snake_case as on the wire). */
export interface HealthReport {
  service_name: string;
  status: "healthy" | "degraded" | "unhealthy";
  timestamp: string;
  version: string;
  uptime_seconds: number;
  performance_metrics: { response_time_ms: number; throughput_rps: number; error_rate_percent: number };
  system_resources: { cpu_usage_percent: number; memory_usage_mb: number; disk_usage_percent: number };
  dependencies: Record<string, string>;
  tenant_context: { active_tenants: number; tenant_isolation_status: string };
}

export interface HubHealthSources {
  readonly serviceName: string;
  readonly version: string;
  readonly clock: Clock;
  readonly startedAt: number;
  readonly metrics: RequestMetrics;
  readonly resources: SystemResourceSampler;
  /** Dependency name -> its state, e.g. { store: "healthy" }. */
  readonly dependencies: () => Record<string, "healthy" | "degraded" | "unhealthy">;
}

/** The hub's own health: degraded or unhealthy as soon as one dependency is. */
export function buildHubHealth(sources: HubHealthSources): HealthReport {
  const now = sources.clock.now();
  const metrics = sources.metrics.snapshot();
  const resources = sources.resources.sample();
  const dependencies = sources.dependencies();
  const states = Object.values(dependencies);
  const status = states.includes("unhealthy")
    ? "unhealthy"
    : states.includes("degraded")
      ? "degraded"
      : "healthy";
  return {
    service_name: sources.serviceName,
    status,
    timestamp: new Date(now).toISOString(),
    version: sources.version,
    uptime_seconds: Math.round((now - sources.startedAt) / 10) / 100,
    performance_metrics: {
      response_time_ms: metrics.responseTimeMs,
      throughput_rps: metrics.throughputRps,
      error_rate_percent: metrics.errorRatePercent,
    },
    system_resources: {
      cpu_usage_percent: resources.cpuUsagePercent,
      memory_usage_mb: resources.memoryUsageMb,
      disk_usage_percent: resources.diskUsagePercent,
    },
    dependencies,
    tenant_context: { active_tenants: metrics.activeTenants, tenant_isolation_status: "healthy" },
  };
}

/**
 * A registered service's health as the hub sees it, aggregated over its instances: the latency
 * of the hub's checks stands for response time, failing checks for the error rate, and each
 * instance is listed under dependencies with its status.
 */
export function buildServiceHealth(summary: ServiceSummary, clock: Clock): HealthReport {
  const now = clock.now();
  const checked = summary.instances.filter((i) => i.lastCheck !== undefined);
  const latency = checked.reduce((sum, i) => sum + i.lastCheck!.latencyMs, 0);
  const failing = checked.filter((i) => !i.lastCheck!.passing).length;
  const firstRegistered = Math.min(...summary.instances.map((i) => i.record.registeredAt));
  const dependencies: Record<string, string> = {};
  for (const instance of summary.instances)
    dependencies[instance.record.id] = standardStatus(instance.status);
  return {
    service_name: summary.name,
    status: standardStatus(summary.status),
    timestamp: new Date(now).toISOString(),
    version: summary.instances[0]?.record.version ?? "",
    uptime_seconds: Math.max(0, Math.round((now - firstRegistered) / 10) / 100),
    performance_metrics: {
      response_time_ms: checked.length === 0 ? 0 : Math.round((latency / checked.length) * 1000) / 1000,
      throughput_rps: 0,
      error_rate_percent: checked.length === 0 ? 0 : Math.round((failing / checked.length) * 10000) / 100,
    },
    system_resources: { cpu_usage_percent: 0, memory_usage_mb: 0, disk_usage_percent: 0 },
    dependencies,
    tenant_context: {
      active_tenants: 0,
      tenant_isolation_status: summary.instances.every((i) => i.record.tenantCapable)
        ? "healthy"
        : "not_tenant_capable",
    },
  };
}

/** The standard format knows three states; "not checked yet" is reported as degraded. */
export function standardStatus(status: InstanceStatus): HealthReport["status"] {
  return status === "unknown" ? "degraded" : status;
}
