import type { HealthMetrics } from "@hub/perf-tracker";
import type { DependencyResult } from "./dependency-checks.js";
import { type HealthStatus, worstStatus } from "./health-status.js";
import type { SystemResources } from "./system-resources.js";

/**
 * The platform's standard health body, field for field as on the wire (SEED.md "Standardized
 * Health Check Format"; the hub reads `status` from it).
 */
export interface HealthReport {
  service_name: string;
  status: HealthStatus;
  /** ISO 8601. */
  timestamp: string;
  version: string;
  uptime_seconds: number;
  performance_metrics: HealthMetrics;
  system_resources: SystemResources;
  /** Each dependency's status by name. */
  dependencies: Record<string, HealthStatus>;
  tenant_context: { active_tenants: number; tenant_isolation_status: HealthStatus };
}

/** What a {@link HealthReport} is built from. @internal */
export interface HealthReportParts {
  readonly serviceName: string;
  readonly version: string;
  readonly nowMs: number;
  readonly startedAtMs: number;
  readonly performance: HealthMetrics;
  readonly resources: SystemResources;
  readonly dependencies: readonly DependencyResult[];
  /** Dependencies listed for information only: they never change the service's status. */
  readonly informational: Readonly<Record<string, HealthStatus>>;
  readonly activeTenants: number;
  /** True while the service shuts down: it reports unhealthy so that nobody new is sent to it. */
  readonly stopping: boolean;
}

/**
 * The service's status from its dependencies: unhealthy when a critical one is unhealthy (or while
 * stopping), degraded when any other is not healthy, else healthy.
 */
export function serviceStatus(dependencies: readonly DependencyResult[], stopping: boolean): HealthStatus {
  if (stopping) return "unhealthy";
  return worstStatus(
    dependencies.map((dependency) =>
      dependency.status === "unhealthy" && !dependency.critical ? "degraded" : dependency.status,
    ),
  );
}

/** Builds the standard health body. @internal */
export function buildHealthReport(parts: HealthReportParts): HealthReport {
  const dependencies: Record<string, HealthStatus> = { ...parts.informational };
  for (const dependency of parts.dependencies) dependencies[dependency.name] = dependency.status;
  return {
    service_name: parts.serviceName,
    status: serviceStatus(parts.dependencies, parts.stopping),
    timestamp: new Date(parts.nowMs).toISOString(),
    version: parts.version,
    uptime_seconds: Math.max(0, Math.round((parts.nowMs - parts.startedAtMs) / 10) / 100),
    performance_metrics: parts.performance,
    system_resources: parts.resources,
    dependencies,
    // Every request's tenant is read, validated and scoped on its own; nothing shared can mix tenants up.
    tenant_context: { active_tenants: parts.activeTenants, tenant_isolation_status: "healthy" },
  };
}
