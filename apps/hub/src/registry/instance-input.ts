import { isIP } from "node:net";
import { z } from "zod";
import { HubError } from "../errors/hub-error.js";
import {
  defaultHealthEndpoint,
  deriveInstanceId,
  type HealthCheckSettings,
  type InstanceRecord,
  protocols,
  resourceTiers,
  tiers,
} from "./instance.js";
import type { RegistryDefaults, RegistryLimits } from "./registry-options.js";

/**
 * A registration as it arrives from any API (Connect or plain JSON), before validation.
 * Absent fields take the hub's defaults. Durations are in milliseconds.
 */
export interface InstanceInput {
  id?: string | undefined;
  name?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  protocol?: string | undefined;
  healthEndpoint?: string | undefined;
  version?: string | undefined;
  zone?: string | undefined;
  weight?: number | undefined;
  metadata?: Record<string, string> | undefined;
  tags?: string[] | undefined;
  tenantCapable?: boolean | undefined;
  subscriptionRequirements?: string[] | undefined;
  resourceTier?: string | undefined;
  healthCheck?: HealthCheckInput | undefined;
  ttlMs?: number | undefined;
  deregisterCriticalAfterMs?: number | undefined;
}

export interface HealthCheckInput {
  disabled?: boolean | undefined;
  intervalMs?: number | undefined;
  timeoutMs?: number | undefined;
  rise?: number | undefined;
  fall?: number | undefined;
  grpcService?: string | undefined;
}

/** Service names are DNS labels so they work as hostnames, URL segments and metric labels. */
export const serviceNamePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const instanceIdPattern = /^[A-Za-z0-9._-]{1,128}$/;
const hostnamePattern =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
/** Listening wildcards: callers cannot connect to them. */
const unspecifiedAddresses = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

/** RFC 1123 hostname whose last label is not all digits (so "999.1.1.1" is not taken for a name). */
function isHostname(host: string): boolean {
  if (!hostnamePattern.test(host)) return false;
  const labels = host.replace(/\.$/, "").split(".");
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

const labelPattern = /^[A-Za-z0-9._-]{0,64}$/;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Parses and validates a service name; throws INVALID_ARGUMENT naming `field`. */
export function parseServiceName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || value === "") throw invalid(field, "is required");
  if (!serviceNamePattern.test(value)) {
    throw invalid(
      field,
      "must be a lowercase DNS label: a-z, 0-9 and '-', at most 63 characters, not starting or ending with '-'",
    );
  }
  return value;
}

/** Parses and validates an instance id; throws INVALID_ARGUMENT naming `field`. */
export function parseInstanceId(value: unknown, field = "instance_id"): string {
  if (typeof value !== "string" || value === "") throw invalid(field, "is required");
  if (!instanceIdPattern.test(value))
    throw invalid(field, "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
  return value;
}

// Building a zod schema costs far more than running it: one per limits object, built once.
const schemas = new WeakMap<RegistryLimits, ReturnType<typeof buildSchema>>();

function schemaFor(limits: RegistryLimits): ReturnType<typeof buildSchema> {
  let schema = schemas.get(limits);
  if (!schema) {
    schema = buildSchema(limits);
    schemas.set(limits, schema);
  }
  return schema;
}

function buildSchema(limits: RegistryLimits) {
  // Durations are validated in ms but reported in seconds, the unit callers write them in.
  const ms = (min: number, max: number) => {
    const range = `must be ${min / 1000}-${max / 1000} seconds`;
    return z.number().int(range).min(min, range).max(max, range);
  };
  return z.object({
    id: z
      .string()
      .regex(instanceIdPattern, "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'")
      .optional(),
    name: z.string(),
    host: z
      .string()
      .min(1, "is required")
      .refine((h) => isIP(h) !== 0 || isHostname(h), "must be a hostname, an IPv4 or an IPv6 literal")
      .refine(
        (h) => !unspecifiedAddresses.has(h),
        "must be an address callers can reach, not an unspecified address",
      ),
    port: z.number().int("must be an integer").min(1, "must be 1-65535").max(65535, "must be 1-65535"),
    protocol: z
      .enum(protocols as [string, ...string[]], "must be one of http, https, grpc, h2c, tcp")
      .optional(),
    healthEndpoint: z
      .string()
      .max(256, "must be at most 256 characters")
      .regex(/^(\/[^\s]*)?$/, "must be a path starting with '/'")
      .optional(),
    version: z
      .string()
      .regex(labelPattern, "must be at most 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'")
      .optional(),
    zone: z
      .string()
      .regex(labelPattern, "must be at most 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'")
      .optional(),
    weight: z
      .number()
      .int("must be an integer")
      .min(0, "must be 0-10000")
      .max(10000, "must be 0-10000")
      .optional(),
    metadata: z
      .record(
        z.string().min(1).max(128, "keys must be at most 128 characters"),
        z
          .string()
          .max(
            limits.maxMetadataValueLength,
            `values must be at most ${limits.maxMetadataValueLength} characters`,
          ),
      )
      .refine(
        (m) => Object.keys(m).length <= limits.maxMetadataEntries,
        `must have at most ${limits.maxMetadataEntries} entries`,
      )
      .optional(),
    tags: z
      .array(z.string().min(1, "must not be empty").max(64, "must be at most 64 characters"))
      .max(limits.maxTags, `must have at most ${limits.maxTags} tags`)
      .optional(),
    tenantCapable: z.boolean().optional(),
    subscriptionRequirements: z
      .array(z.enum(tiers as [string, ...string[]], "must be free, pro or enterprise"))
      .max(3)
      .optional(),
    resourceTier: z
      .enum(resourceTiers as [string, ...string[]], "must be basic, premium or enterprise")
      .optional(),
    healthCheck: z
      .object({
        disabled: z.boolean().optional(),
        intervalMs: ms(100, DAY).optional(),
        timeoutMs: ms(10, DAY).optional(),
        rise: z
          .number()
          .int("must be an integer 1-10")
          .min(1, "must be 1-10")
          .max(10, "must be 1-10")
          .optional(),
        fall: z
          .number()
          .int("must be an integer 1-10")
          .min(1, "must be 1-10")
          .max(10, "must be 1-10")
          .optional(),
        grpcService: z.string().max(256).optional(),
      })
      .optional(),
    ttlMs: ms(1000, DAY).optional(),
    deregisterCriticalAfterMs: ms(1000, 7 * DAY).optional(),
  });
}

/**
 * Validates a registration and resolves it into a record, with defaults applied.
 * `registeredAt` and `removalLease` are the registry's to fill in.
 * @throws HubError INVALID_ARGUMENT naming the first bad field.
 */
export function validateInstanceInput(
  input: InstanceInput,
  limits: RegistryLimits,
  defaults: RegistryDefaults,
): Omit<InstanceRecord, "registeredAt" | "removalLease"> {
  const name = parseServiceName(input.name);
  const parsed = schemaFor(limits).safeParse(stripUndefined(input));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = fieldName(issue.path);
    const reason =
      issue.code === "invalid_type" ? typeReason(input, issue.path, issue.expected) : issue.message;
    throw invalid(field, reason);
  }
  const value = parsed.data;
  const protocol = (value.protocol ?? "http") as InstanceRecord["protocol"];
  const healthCheck: HealthCheckSettings = {
    disabled: value.healthCheck?.disabled ?? defaults.healthCheck.disabled,
    intervalMs: value.healthCheck?.intervalMs ?? defaults.healthCheck.intervalMs,
    timeoutMs: value.healthCheck?.timeoutMs ?? defaults.healthCheck.timeoutMs,
    rise: value.healthCheck?.rise ?? defaults.healthCheck.rise,
    fall: value.healthCheck?.fall ?? defaults.healthCheck.fall,
    grpcService: value.healthCheck?.grpcService ?? defaults.healthCheck.grpcService,
  };
  if (healthCheck.timeoutMs >= healthCheck.intervalMs) {
    throw invalid("health_check.timeout", "must be below health_check.interval");
  }
  const host = value.host.toLowerCase();
  return {
    id: value.id ?? deriveInstanceId(host, value.port),
    name,
    host,
    port: value.port,
    protocol,
    healthEndpoint: value.healthEndpoint || defaultHealthEndpoint(protocol),
    version: value.version ?? "",
    zone: value.zone ?? "",
    weight: value.weight || 100,
    metadata: value.metadata ?? {},
    tags: [...new Set(value.tags ?? [])],
    tenantCapable: value.tenantCapable ?? true,
    subscriptionRequirements: [
      ...new Set(value.subscriptionRequirements ?? []),
    ] as InstanceRecord["subscriptionRequirements"],
    resourceTier: (value.resourceTier ?? "basic") as InstanceRecord["resourceTier"],
    healthCheck,
    ttlMs: value.ttlMs ?? defaults.ttlMs,
    deregisterCriticalAfterMs: value.deregisterCriticalAfterMs ?? defaults.deregisterCriticalAfterMs,
  };
}

function invalid(field: string, reason: string): HubError {
  return new HubError("INVALID_ARGUMENT", `${field}: ${reason}`, { details: { field, reason } });
}

/** "is required" for a missing value, else what type it must have (zod 4 does not keep the input). */
function typeReason(input: InstanceInput, path: readonly PropertyKey[], expected: string): string {
  let value: unknown = input;
  for (const segment of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
  if (value === undefined) return "is required";
  if (expected === "int") return `must be an integer, got ${String(value)}`;
  const article = /^[aeiou]/.test(expected) ? "an" : "a";
  return `must be ${article} ${expected}, got ${Array.isArray(value) ? "array" : value === null ? "null" : typeof value}`;
}

/** A zod path as the API names it: "health_check.timeout", "tags[1]", "metadata.buildId" (keys as sent). */
function fieldName(path: readonly PropertyKey[]): string {
  let field = "";
  for (const [i, segment] of path.entries()) {
    if (typeof segment === "number") {
      field += `[${segment}]`;
      continue;
    }
    const name = i > 0 && path[0] === "metadata" ? String(segment) : snakeCase(String(segment));
    field += field === "" ? name : `.${name}`;
  }
  return field || "body";
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/_ms$/, "");
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
