import { timestampMs } from "@bufbuild/protobuf/wkt";
import { InstanceStatus } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "./support/health-targets.js";
import { type HealthReportJson, instanceStatus, mustRegisterJson, requestJson } from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { openClients, transportKinds } from "./support/transports.js";
import { waitFor } from "./support/wait-for.js";

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const fastChecks = { interval_seconds: 0.25, timeout_seconds: 0.2, rise: 1, fall: 1 };

/** Every field of the standard health format (API.md "Health") and its JSON type. */
const reportFields: ReadonlyArray<[path: string, type: "string" | "number" | "object"]> = [
  ["service_name", "string"],
  ["status", "string"],
  ["timestamp", "string"],
  ["version", "string"],
  ["uptime_seconds", "number"],
  ["performance_metrics", "object"],
  ["performance_metrics.response_time_ms", "number"],
  ["performance_metrics.throughput_rps", "number"],
  ["performance_metrics.error_rate_percent", "number"],
  ["system_resources", "object"],
  ["system_resources.cpu_usage_percent", "number"],
  ["system_resources.memory_usage_mb", "number"],
  ["system_resources.disk_usage_percent", "number"],
  ["dependencies", "object"],
  ["tenant_context", "object"],
  ["tenant_context.active_tenants", "number"],
  ["tenant_context.tenant_isolation_status", "string"],
];

function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

const protoStatus: Record<string, InstanceStatus> = {
  healthy: InstanceStatus.HEALTHY,
  degraded: InstanceStatus.DEGRADED,
  unhealthy: InstanceStatus.UNHEALTHY,
};

/** Three services whose instances make them healthy, degraded and unhealthy in aggregate. */
const expectedStatus: Record<string, string> = {
  "all-up": "healthy",
  "half-up": "degraded",
  "all-down": "unhealthy",
};

let running: RunningHub;
beforeAll(async () => {
  running = await startHub();
  const up = { host: "127.0.0.1", health_check: { disabled: true } };
  const down = async (name: string) => {
    const { id } = await mustRegisterJson(running.url, {
      name,
      host: "127.0.0.1",
      port: await closedPort(),
      protocol: "tcp",
      health_check: fastChecks,
    });
    await waitFor(
      `${name}/${id} unhealthy`,
      () => instanceStatus(running.url, name, id),
      (s) => s === "unhealthy",
    );
  };
  await mustRegisterJson(running.url, { ...up, name: "all-up", port: 9601, version: "2.0.0" });
  await mustRegisterJson(running.url, { ...up, name: "all-up", port: 9602, version: "2.0.0" });
  await mustRegisterJson(running.url, { ...up, name: "half-up", port: 9603 });
  await down("half-up");
  await down("all-down");
});
afterAll(async () => {
  await running?.close();
});

describe("GET /health", () => {
  it.each(reportFields)("has %s as a %s", async (path, type) => {
    const answer = await requestJson<HealthReportJson>(`${running.url}/health`);
    expect(answer.status).toBe(200);
    const value = at(answer.body, path);
    expect(typeof value).toBe(type);
    expect(value).not.toBeNull();
  });

  it("reports the hub as healthy, with an ISO timestamp of now and a non-negative uptime", async () => {
    const before = Date.now();
    const { body } = await requestJson<HealthReportJson>(`${running.url}/health`);
    expect(body.service_name).toBe("central-hub");
    expect(body.status).toBe("healthy");
    expect(body.timestamp).toMatch(isoTimestamp);
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(body.timestamp)).toBeLessThanOrEqual(Date.now() + 1);
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.dependencies).toEqual({ store: "healthy" });
    expect(body.tenant_context.tenant_isolation_status).toBe("healthy");
  });
});

describe("GET /health/services", () => {
  it("is keyed by service name, each value a report in the standard format with the aggregated status", async () => {
    const answer = await requestJson<Record<string, HealthReportJson>>(`${running.url}/health/services`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(expectedStatus).sort());
    for (const [name, report] of Object.entries(answer.body)) {
      expect(report.service_name).toBe(name);
      expect(report.status).toBe(expectedStatus[name]);
      expect(report.timestamp).toMatch(isoTimestamp);
      expect(report.uptime_seconds).toBeGreaterThanOrEqual(0);
      for (const [path, type] of reportFields) expect(typeof at(report, path), `${name}.${path}`).toBe(type);
    }
    expect(answer.body["all-up"]?.version).toBe("2.0.0");
    expect(Object.values(answer.body["half-up"]?.dependencies ?? {}).sort()).toEqual([
      "healthy",
      "unhealthy",
    ]);
  });
});

describe.each(transportKinds)("HealthService over $name", (kind) => {
  it("reports the same hub health as GET /health", async () => {
    const clients = openClients(kind, running.url);
    try {
      const { body } = await requestJson<HealthReportJson>(`${running.url}/health`);
      const { report } = await clients.health.getHubHealth({});
      expect(report).toMatchObject({
        serviceName: body.service_name,
        status: protoStatus[body.status],
        version: body.version,
        dependencies: body.dependencies,
        tenantContext: { tenantIsolationStatus: body.tenant_context.tenant_isolation_status },
      });
      expect(report?.uptimeSeconds).toBeGreaterThanOrEqual(body.uptime_seconds);
      expect(Math.abs(timestampMs(report!.timestamp!) - Date.parse(body.timestamp))).toBeLessThan(5_000);
      expect(report?.performanceMetrics).toBeDefined();
      expect(report?.systemResources?.memoryUsageMb).toBeGreaterThan(0);
    } finally {
      clients.close();
    }
  });

  it("reports the same service health as GET /health/services", async () => {
    const clients = openClients(kind, running.url);
    try {
      const { body } = await requestJson<Record<string, HealthReportJson>>(`${running.url}/health/services`);
      const { services } = await clients.health.getServicesHealth({});
      expect(Object.keys(services).sort()).toEqual(Object.keys(body).sort());
      for (const [name, report] of Object.entries(services)) {
        expect(report).toMatchObject({
          serviceName: name,
          status: protoStatus[body[name]!.status],
          version: body[name]!.version,
          dependencies: body[name]!.dependencies,
        });
      }
    } finally {
      clients.close();
    }
  });
});
