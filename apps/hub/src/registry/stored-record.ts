import {
  defaultHealthEndpoint,
  type HealthCheckSettings,
  type InstanceRecord,
  type Protocol,
  type ResourceTier,
  type Tier,
} from "./instance.js";
import type { RecordInterner } from "./record-interner.js";

/**
 * How an instance record is kept in the store: JSON without the fields the key already names
 * (id, service name) and without fields equal to the values below. A typical record shrinks from
 * about 440 to 170 bytes, which is what 100k instances cost in memory, on disk and to parse at
 * restart. Records written whole (by earlier versions) read the same way.
 *
 * The values are fixed here and never follow the hub's settings: a record must mean the same thing
 * after an operator changes the defaults that new registrations get.
 */
const stored = {
  protocol: "http" as Protocol,
  version: "",
  zone: "",
  weight: 100,
  tenantCapable: true,
  resourceTier: "basic" as ResourceTier,
  ttlMs: 30_000,
  deregisterCriticalAfterMs: 300_000,
  healthCheck: { disabled: false, intervalMs: 10_000, timeoutMs: 2_000, rise: 2, fall: 3, grpcService: "" },
} as const;

/** The record's stored text: deterministic for equal records, whatever their key order. */
export function encodeRecord(record: InstanceRecord): string {
  const out: Record<string, unknown> = { host: record.host, port: record.port };
  if (record.protocol !== stored.protocol) out.protocol = record.protocol;
  if (record.healthEndpoint !== defaultHealthEndpoint(record.protocol))
    out.healthEndpoint = record.healthEndpoint;
  if (record.version !== stored.version) out.version = record.version;
  if (record.zone !== stored.zone) out.zone = record.zone;
  if (record.weight !== stored.weight) out.weight = record.weight;
  if (Object.keys(record.metadata).length > 0) out.metadata = record.metadata;
  if (record.tags.length > 0) out.tags = record.tags;
  if (record.tenantCapable !== stored.tenantCapable) out.tenantCapable = record.tenantCapable;
  if (record.subscriptionRequirements.length > 0)
    out.subscriptionRequirements = record.subscriptionRequirements;
  if (record.resourceTier !== stored.resourceTier) out.resourceTier = record.resourceTier;
  const healthCheck = encodeHealthCheck(record.healthCheck);
  if (healthCheck !== undefined) out.healthCheck = healthCheck;
  if (record.ttlMs !== stored.ttlMs) out.ttlMs = record.ttlMs;
  if (record.deregisterCriticalAfterMs !== stored.deregisterCriticalAfterMs)
    out.deregisterCriticalAfterMs = record.deregisterCriticalAfterMs;
  out.registeredAt = record.registeredAt;
  out.removalLease = record.removalLease;
  return JSON.stringify(out);
}

/**
 * The record stored under instances/{name}/{id}, with what it left out filled in and common
 * values shared through `interner`; undefined when the text is not a record.
 */
export function decodeRecord(
  text: string,
  name: string,
  id: string,
  interner: RecordInterner,
): InstanceRecord | undefined {
  let value: Partial<Record<keyof InstanceRecord, unknown>>;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { host, port, registeredAt, removalLease } = value;
  if (typeof host !== "string" || typeof port !== "number") return undefined;
  if (typeof registeredAt !== "number" || typeof removalLease !== "number") return undefined;
  const protocol = interner.protocol((value.protocol as Protocol | undefined) ?? stored.protocol);
  const healthCheck = (value.healthCheck ?? {}) as Partial<HealthCheckSettings>;
  // Every record is built with the same keys in the same order, so all of them share one shape.
  return {
    id,
    name,
    host: interner.string(host),
    port,
    protocol,
    healthEndpoint: interner.string(
      (value.healthEndpoint as string | undefined) ?? defaultHealthEndpoint(protocol),
    ),
    version: interner.string((value.version as string | undefined) ?? stored.version),
    zone: interner.string((value.zone as string | undefined) ?? stored.zone),
    weight: (value.weight as number | undefined) ?? stored.weight,
    metadata: interner.metadata(value.metadata as Record<string, string> | undefined),
    tags: interner.tags(value.tags as string[] | undefined),
    tenantCapable: (value.tenantCapable as boolean | undefined) ?? stored.tenantCapable,
    subscriptionRequirements: interner.tiers((value.subscriptionRequirements as Tier[] | undefined) ?? []),
    resourceTier: interner.resourceTier(
      (value.resourceTier as ResourceTier | undefined) ?? stored.resourceTier,
    ),
    healthCheck: interner.healthCheck({ ...stored.healthCheck, ...healthCheck }),
    ttlMs: (value.ttlMs as number | undefined) ?? stored.ttlMs,
    deregisterCriticalAfterMs:
      (value.deregisterCriticalAfterMs as number | undefined) ?? stored.deregisterCriticalAfterMs,
    registeredAt,
    removalLease,
  };
}

function encodeHealthCheck(settings: HealthCheckSettings): Partial<HealthCheckSettings> | undefined {
  const out: Partial<Record<keyof HealthCheckSettings, unknown>> = {};
  let differs = false;
  for (const key of Object.keys(stored.healthCheck) as (keyof HealthCheckSettings)[]) {
    if (settings[key] === stored.healthCheck[key]) continue;
    out[key] = settings[key];
    differs = true;
  }
  return differs ? (out as Partial<HealthCheckSettings>) : undefined;
}
