/** A status a service reports about itself in the platform's standard health format. */
export type ReportedHealth = "healthy" | "degraded" | "unhealthy";

// Both spellings occur: the documented snake_case JSON ("degraded") and proto-JSON of
// hub.v1.HealthReport, which renders the enum by name ("INSTANCE_STATUS_DEGRADED").
const statusWords: Readonly<Record<string, ReportedHealth>> = {
  healthy: "healthy",
  degraded: "degraded",
  unhealthy: "unhealthy",
  instance_status_healthy: "healthy",
  instance_status_degraded: "degraded",
  instance_status_unhealthy: "unhealthy",
};

/**
 * Reads the top-level `"status"` of a body in the platform's standard health format
 * (`{"service_name": ..., "status": "healthy" | "degraded" | "unhealthy", ...}`).
 * Anything else (not JSON, not an object, truncated, another status word) yields undefined:
 * such a body says nothing beyond the HTTP status code.
 */
export function readReportedHealth(body: string): ReportedHealth | undefined {
  const text = body.trimStart();
  if (!text.startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A body that is not JSON is legal for a health endpoint; only the status code counts then.
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || !("status" in parsed)) return undefined;
  const status = parsed.status;
  return typeof status === "string" ? statusWords[status.toLowerCase()] : undefined;
}
