import { buildHealthReport, type HealthStatus, isHealthStatus } from "./health-report.js";
import { isJsonObject } from "./json.js";
import type { Route } from "./json-server.js";
import type { RequestStats } from "./request-stats.js";

/** What the health routes need to describe the service. */
export interface HealthRoutesOptions {
  serviceName: string;
  version: string;
  startedAtMs: number;
  stats: RequestStats;
  /** The `dependencies` section of the report, computed per request. */
  dependencies: () => Record<string, string>;
}

/**
 * `GET /health` in the standard format (503 when unhealthy, so the hub's HTTP check fails),
 * and `POST /admin/health {"status": "unhealthy"}` to force a status. The admin route exists
 * so tests can take one instance out of rotation; the services listen on 127.0.0.1 only.
 */
export function createHealthRoutes(options: HealthRoutesOptions): Route[] {
  let status: HealthStatus = "healthy";
  return [
    {
      method: "GET",
      path: "/health",
      handler: () => ({
        status: status === "unhealthy" ? 503 : 200,
        body: buildHealthReport({
          serviceName: options.serviceName,
          version: options.version,
          status,
          startedAtMs: options.startedAtMs,
          nowMs: Date.now(),
          stats: options.stats,
          dependencies: options.dependencies(),
        }),
      }),
    },
    {
      method: "POST",
      path: "/admin/health",
      handler: (request) => {
        const wanted = isJsonObject(request.body) ? request.body.status : undefined;
        if (!isHealthStatus(wanted)) {
          return {
            status: 400,
            body: {
              error: { code: "invalid_argument", message: "status: must be healthy, degraded or unhealthy" },
            },
          };
        }
        status = wanted;
        return { status: 200, body: { service_name: options.serviceName, status } };
      },
    },
  ];
}
