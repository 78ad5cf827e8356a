/** The three states of the platform's standard health format. */
export type HealthStatus = "healthy" | "degraded" | "unhealthy";

const severity: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The worse of the given states; `healthy` for none. */
export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = "healthy";
  for (const status of statuses) if (severity[status] > severity[worst]) worst = status;
  return worst;
}

/** True for one of {@link HealthStatus}. */
export function isHealthStatus(value: unknown): value is HealthStatus {
  return value === "healthy" || value === "degraded" || value === "unhealthy";
}
