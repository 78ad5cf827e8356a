import type { DiscoveryResult } from "../../discovery/discover.js";
import { type SelectionStrategy, selectionStrategies } from "@hub/client";
import { HubError, invalidArgument } from "../../errors/hub-error.js";
import type { Instance } from "../../registry/instance.js";
import type { InstanceInput } from "../../registry/instance-input.js";
import type { ServiceSummary } from "../service-summary.js";

export type JsonObject = Record<string, unknown>;

/**
 * A registration body (snake_case, durations in seconds) into the hub's input form. Types are
 * checked by the registry's validation; `null` counts as absent, as Python clients send it.
 */
export function instanceInputFromJson(body: unknown): InstanceInput {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalidArgument("body", "must be a JSON object");
  const b = body as JsonObject;
  rejectUnknownFields(b, registrationFields, "");
  const hc = present(b.health_check);
  if (hc !== undefined && (typeof hc !== "object" || Array.isArray(hc)))
    throw invalidArgument("health_check", "must be an object");
  const check = hc as JsonObject | undefined;
  if (check) rejectUnknownFields(check, healthCheckFields, "health_check.");
  return {
    id: present(b.id) as string | undefined,
    name: present(b.name) as string | undefined,
    host: present(b.host) as string | undefined,
    port: present(b.port) as number | undefined,
    protocol: present(b.protocol) as string | undefined,
    healthEndpoint: present(b.health_endpoint) as string | undefined,
    version: present(b.version) as string | undefined,
    zone: present(b.zone) as string | undefined,
    weight: present(b.weight) as number | undefined,
    metadata: present(b.metadata) as Record<string, string> | undefined,
    tags: present(b.tags) as string[] | undefined,
    tenantCapable: present(b.tenant_capable) as boolean | undefined,
    subscriptionRequirements: present(b.subscription_requirements) as string[] | undefined,
    resourceTier: present(b.resource_tier) as string | undefined,
    ttlMs: seconds(b, "ttl_seconds"),
    deregisterCriticalAfterMs: seconds(b, "deregister_critical_after_seconds"),
    healthCheck: check && {
      disabled: present(check.disabled) as boolean | undefined,
      intervalMs: seconds(check, "interval_seconds", "health_check."),
      timeoutMs: seconds(check, "timeout_seconds", "health_check."),
      rise: present(check.rise) as number | undefined,
      fall: present(check.fall) as number | undefined,
      grpcService: present(check.grpc_service) as string | undefined,
    },
  };
}

const registrationFields = new Set([
  "id",
  "name",
  "host",
  "port",
  "protocol",
  "health_endpoint",
  "version",
  "zone",
  "weight",
  "metadata",
  "tags",
  "tenant_capable",
  "subscription_requirements",
  "resource_tier",
  "ttl_seconds",
  "deregister_critical_after_seconds",
  "health_check",
]);
const healthCheckFields = new Set([
  "disabled",
  "interval_seconds",
  "timeout_seconds",
  "rise",
  "fall",
  "grpc_service",
]);

/** A misspelt field (health_endpont) would otherwise be dropped silently and its default used. */
function rejectUnknownFields(body: JsonObject, known: ReadonlySet<string>, prefix: string): void {
  for (const field of Object.keys(body)) {
    if (!known.has(field))
      throw invalidArgument(`${prefix}${field}`, "is not a registration field (see API.md)");
  }
}

/** Query or body flag: true/1/yes or false/0/no in any case; anything else is refused, not ignored. */
export function parseFlag(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === false) return false;
  if (value === true) return true;
  if (typeof value === "string") {
    const word = value.toLowerCase();
    if (word === "true" || word === "1" || word === "yes") return true;
    if (word === "false" || word === "0" || word === "no") return false;
  }
  throw invalidArgument(field, "must be true or false");
}

function present(value: unknown): unknown {
  return value === null ? undefined : value;
}

function seconds(body: JsonObject, field: string, prefix = ""): number | undefined {
  const value = present(body[field]);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(`${prefix}${field}`, "must be a non-negative number of seconds");
  }
  return Math.round(value * 1000);
}

/** Registration fields the JSON API names differently (durations in seconds). */
const jsonFieldNames: Readonly<Record<string, string>> = {
  ttl: "ttl_seconds",
  deregister_critical_after: "deregister_critical_after_seconds",
  "health_check.interval": "health_check.interval_seconds",
  "health_check.timeout": "health_check.timeout_seconds",
};

/** Renames the field of a validation error to what a JSON caller sent; other errors pass through. */
export function withJsonFieldName(error: unknown): unknown {
  if (!(error instanceof HubError) || error.code !== "INVALID_ARGUMENT") return error;
  const field = error.details?.field;
  const renamed = typeof field === "string" ? jsonFieldNames[field] : undefined;
  if (renamed === undefined) return error;
  const reason = String(error.details?.reason ?? error.message.slice(String(field).length + 2)).replace(
    "health_check.interval",
    "health_check.interval_seconds",
  );
  return new HubError("INVALID_ARGUMENT", `${renamed}: ${reason}`, {
    details: { ...error.details, field: renamed, reason },
  });
}

export function strategyFromQuery(value: unknown): SelectionStrategy | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" && (selectionStrategies as readonly string[]).includes(value))
    return value as SelectionStrategy;
  throw invalidArgument("strategy", `must be one of ${selectionStrategies.join(", ")}`);
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function instanceToJson(instance: Instance): JsonObject {
  const r = instance.record;
  const check = instance.lastCheck;
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    protocol: r.protocol,
    endpoint: instance.endpoint,
    health_endpoint: r.healthEndpoint,
    version: r.version,
    zone: r.zone,
    weight: r.weight,
    metadata: r.metadata,
    tags: r.tags,
    tenant_capable: r.tenantCapable,
    subscription_requirements: r.subscriptionRequirements,
    resource_tier: r.resourceTier,
    status: instance.status,
    status_message: instance.statusMessage,
    load: instance.load,
    registered_at: iso(r.registeredAt),
    last_heartbeat_at: iso(instance.lastHeartbeatAt),
    lease_expires_at: iso(instance.leaseExpiresAt),
    ttl_seconds: r.ttlMs / 1000,
    deregister_critical_after_seconds: r.deregisterCriticalAfterMs / 1000,
    health_check: {
      disabled: r.healthCheck.disabled,
      interval_seconds: r.healthCheck.intervalMs / 1000,
      timeout_seconds: r.healthCheck.timeoutMs / 1000,
      rise: r.healthCheck.rise,
      fall: r.healthCheck.fall,
      grpc_service: r.healthCheck.grpcService,
    },
    last_check: check
      ? {
          passing: check.passing,
          status: check.reportedStatus,
          message: check.message,
          latency_ms: check.latencyMs,
          checked_at: iso(check.checkedAt),
          consecutive_successes: check.consecutiveSuccesses,
          consecutive_failures: check.consecutiveFailures,
        }
      : null,
  };
}

export function serviceToJson(summary: ServiceSummary): JsonObject {
  return {
    name: summary.name,
    status: summary.status,
    healthy_count: summary.healthyCount,
    instance_count: summary.instances.length,
    subscription_requirements: summary.subscriptionRequirements,
    instances: summary.instances.map(instanceToJson),
  };
}

export function endpointToJson(instance: Instance): JsonObject {
  const r = instance.record;
  return {
    instance_id: r.id,
    host: r.host,
    port: r.port,
    protocol: r.protocol,
    url: instance.endpoint,
    status: instance.status,
    load: instance.load,
    zone: r.zone,
    weight: r.weight,
  };
}

export function discoveryToJson(result: DiscoveryResult): JsonObject {
  return {
    service_name: result.serviceName,
    recommended_endpoint: result.recommended?.endpoint ?? "",
    all_healthy_endpoints: result.healthy.map((i) => i.endpoint),
    confidence: result.confidence,
    connection_type: "direct_call",
    healthy_available: result.healthyAvailable,
    message: result.message,
    recommended: result.recommended ? endpointToJson(result.recommended) : null,
    endpoints: result.instances.map(endpointToJson),
  };
}

/** A path segment, percent-decoded. @throws HubError INVALID_ARGUMENT for malformed escapes. */
export function decodeSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HubError("INVALID_ARGUMENT", `path: malformed percent-encoding in ${segment.slice(0, 64)}`, {
      details: { field: "path" },
    });
  }
}
