import { describe, expect, it } from "vitest";
import type { DependencyResult } from "./dependency-checks.js";
import { buildHealthReport, serviceStatus } from "./health-report.js";
import type { HealthStatus } from "./health-status.js";

function dep(name: string, status: HealthStatus, critical = false): DependencyResult {
  return { name, status, critical, message: "", latencyMs: 1 };
}

describe("serviceStatus", () => {
  it.each([
    [[], false, "healthy"],
    [[dep("a", "healthy", true), dep("b", "healthy")], false, "healthy"],
    [[dep("cache", "unhealthy")], false, "degraded"],
    [[dep("cache", "degraded")], false, "degraded"],
    [[dep("db", "degraded", true)], false, "degraded"],
    [[dep("db", "unhealthy", true), dep("cache", "degraded")], false, "unhealthy"],
    [[dep("cache", "unhealthy"), dep("db", "healthy", true)], false, "degraded"],
    [[], true, "unhealthy"],
  ] as const)("is %j → stopping=%s → %s", (dependencies, stopping, expected) => {
    expect(serviceStatus(dependencies, stopping)).toBe(expected);
  });
});

describe("buildHealthReport", () => {
  it("builds the standard format, listing informational dependencies without letting them decide", () => {
    const report = buildHealthReport({
      serviceName: "orders",
      version: "1.2.0",
      nowMs: Date.UTC(2024, 0, 20, 10, 30),
      startedAtMs: Date.UTC(2024, 0, 20, 9, 30) - 456,
      performance: { response_time_ms: 2.5, throughput_rps: 150, error_rate_percent: 0.01 },
      resources: { cpu_usage_percent: 45.2, memory_usage_mb: 512.8, disk_usage_percent: 23.1 },
      dependencies: [dep("database", "healthy", true)],
      informational: { "central-hub": "unhealthy" },
      activeTenants: 12,
      stopping: false,
    });
    expect(report).toEqual({
      service_name: "orders",
      status: "healthy",
      timestamp: "2024-01-20T10:30:00.000Z",
      version: "1.2.0",
      uptime_seconds: 3600.46,
      performance_metrics: { response_time_ms: 2.5, throughput_rps: 150, error_rate_percent: 0.01 },
      system_resources: { cpu_usage_percent: 45.2, memory_usage_mb: 512.8, disk_usage_percent: 23.1 },
      dependencies: { "central-hub": "unhealthy", database: "healthy" },
      tenant_context: { active_tenants: 12, tenant_isolation_status: "healthy" },
    });
  });
});
