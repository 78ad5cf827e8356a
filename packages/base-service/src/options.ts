import { hostname } from "node:os";
import {
  type Clock,
  type ConfigScope,
  type HubClient,
  type NodeHubClientOptions,
  type SubscriptionTier,
  systemClock,
  type TenantContext as HubTenantContext,
} from "@hub/client";
import type { ErrorDNA } from "@hub/error-dna";
import type { PerformanceTracker, PerformanceTrackerOptions } from "@hub/perf-tracker";
import type { Logger } from "pino";
import { z } from "zod";
import { BaseServiceError } from "./base-service-error.js";
import type { ConfigSource } from "./config-source.js";
import type { ErrorMapper } from "./error-mapping.js";
import { subscriptionTiers } from "./tenant-context.js";

/** pino's levels, plus `silent`. */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** How the hub health-checks the instance. Unset fields take the hub's settings. */
export interface HealthCheckConfig {
  /** No active check: the status follows heartbeats only. Default: false. */
  disabled?: boolean;
  /** Time between two probes of `/health`, in ms. Default: the hub's (10 s). */
  intervalMs?: number;
  /** Time one probe may take, in ms; below the interval. Default: the hub's (2 s). */
  timeoutMs?: number;
  /** Consecutive passes before healthy. Default: the hub's (2). */
  rise?: number;
  /** Consecutive failures before unhealthy. Default: the hub's (3). */
  fall?: number;
}

/**
 * What a service is and how it runs: the data part of its setup, fit for a JSON file. Every key may
 * also be spelled in snake_case as in SEED.md (`service_name`, `hub_urls`, `health_check.interval_ms`),
 * see {@link ServiceConfigInput}. Unknown keys are refused, so a typo never falls back to a default.
 */
export interface ServiceConfig {
  /** The name the service registers under: `[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at most 63 characters. Required. */
  serviceName: string;
  /** Reported in `/health` and registered with the hub. Default: `"0.0.0"`. */
  version?: string;
  /** Port to listen on; 0 picks a free one (the one registered is the real one). Default: 0. */
  port?: number;
  /** Interface to listen on. Default: `"127.0.0.1"`. */
  host?: string;
  /** Host registered with the hub, which callers connect to. Default: `host`, or the machine's hostname when `host` is a wildcard (`0.0.0.0`, `::`). */
  advertiseHost?: string;
  /** Hub base URLs, tried in order. Default: `["http://127.0.0.1:7000"]`. */
  hubUrls?: readonly string[];
  /** One hub URL: shorthand for `hubUrls: [hubUrl]` (give one or the other). Default: none. */
  hubUrl?: string;
  /** Whether to register with the hub at all; false runs the service standalone. Default: true. */
  register?: boolean;
  /** A stable instance id. Default: the hub derives one from host and port. */
  instanceId?: string;
  /** Path of the standard health endpoint, which the hub probes. Default: `"/health"`. */
  healthEndpoint?: string;
  /** Path of the Prometheus metrics endpoint; null serves none. Default: `"/metrics"`. */
  metricsEndpoint?: string | null;
  /** Registered with the hub. Default: none. */
  zone?: string;
  /** Relative weight for weighted selection, 1-10000. Default: the hub's (100). */
  weight?: number;
  /** Registered with the hub. Default: none. */
  metadata?: Readonly<Record<string, string>>;
  /** Registered with the hub. Default: none. */
  tags?: readonly string[];
  /** Whether the service keeps tenants apart. Default: true. */
  tenantCapable?: boolean;
  /** Tiers allowed to discover the service (`["pro", "enterprise"]`). Default: none (public). */
  subscriptionRequirements?: readonly SubscriptionTier[];
  /** `"basic"`, `"premium"` or `"enterprise"`. Default: the hub's (`"basic"`). */
  resourceTier?: "basic" | "premium" | "enterprise";
  /** Lease: without a heartbeat or a passing check for this long the instance turns unhealthy, in ms. Default: the hub's (30 s). */
  ttlMs?: number;
  /** The hub removes an instance whose lease lapsed this long ago, in ms. Default: the hub's (300 s). */
  deregisterCriticalAfterMs?: number;
  /** How the hub health-checks `/health`. Default: the hub's settings. */
  healthCheck?: HealthCheckConfig;
  /** Time between heartbeats, in ms. Default: the granted lease TTL / 3. */
  heartbeatIntervalMs?: number;
  /** How long `start()` waits for the hub to accept the registration, in ms. Default: 30000. */
  registerTimeoutMs?: number;
  /** How long a shutdown waits for in-flight requests before it closes their connections, in ms. Default: 10000. */
  shutdownTimeoutMs?: number;
  /** Time a dependency check may take unless it sets its own, in ms; keep it below the hub's check timeout. Default: 1000. */
  dependencyTimeoutMs?: number;
  /** The path whose file system `system_resources.disk_usage_percent` reports. Default: the working directory. */
  diskPath?: string;
  /** Largest request body, in bytes. Default: 1048576 (1 MiB). */
  maxBodyBytes?: number;
  /** Longest `x-company-id` / `x-user-id` accepted, in characters; longer is a 400. Default: 256. */
  maxTenantIdLength?: number;
  /** A company counts in `tenant_context.active_tenants` for this long after its last request, in ms. Default: 300000. */
  activeTenantWindowMs?: number;
  /** Level of the service's logger (when `options.logger` is not given). Default: `"info"`. */
  logLevel?: LogLevel;
}

/** `fooBarMs` → `foo_bar_ms`. */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** An object type with its keys in snake_case. */
type SnakeCaseKeys<T> = { [K in keyof T as SnakeCase<K & string>]: T[K] };

/** {@link ServiceConfig} spelled in snake_case, as SEED.md's `ServiceConfig(service_name=..., version=..., port=...)`. */
export type SnakeCaseServiceConfig = SnakeCaseKeys<Omit<ServiceConfig, "healthCheck">> & {
  health_check?: SnakeCaseKeys<HealthCheckConfig>;
};

/** What `new BaseService(config)` accepts: {@link ServiceConfig} in camelCase or snake_case (or a mix, each key once). */
export type ServiceConfigInput = ServiceConfig | SnakeCaseServiceConfig;

/** {@link ServiceConfig} with every default applied, as `service.config` holds it. */
export interface ResolvedServiceConfig {
  readonly serviceName: string;
  readonly version: string;
  readonly port: number;
  readonly host: string;
  readonly advertiseHost: string;
  readonly hubUrls: readonly string[];
  readonly register: boolean;
  readonly instanceId: string | undefined;
  readonly healthEndpoint: string;
  readonly metricsEndpoint: string | null;
  readonly zone: string | undefined;
  readonly weight: number | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly tenantCapable: boolean;
  readonly subscriptionRequirements: readonly SubscriptionTier[];
  readonly resourceTier: "basic" | "premium" | "enterprise" | undefined;
  readonly ttlMs: number | undefined;
  readonly deregisterCriticalAfterMs: number | undefined;
  readonly healthCheck: HealthCheckConfig;
  readonly heartbeatIntervalMs: number | undefined;
  readonly registerTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly dependencyTimeoutMs: number;
  readonly diskPath: string;
  readonly maxBodyBytes: number;
  readonly maxTenantIdLength: number;
  readonly activeTenantWindowMs: number;
  readonly logLevel: LogLevel;
}

/**
 * How a `BaseService` is embedded: the parts that are code rather than data. Every field is optional.
 * `TConfig` is the type of the dynamic config its `configSource` delivers.
 */
export interface BaseServiceOptions<TConfig = unknown> {
  /**
   * Stop gracefully on SIGTERM and SIGINT, then exit with code 0 (a second signal during the shutdown exits at once with 1).
   * Turn off in tests and when embedding the service in a process that handles signals itself. Default: true.
   */
  handleSignals?: boolean;
  /** The root logger; each request gets a child of it. Default: pino at `logLevel`, JSON lines to stdout. */
  logger?: Logger;
  /** Time source for uptime, dependency-check timeouts, shutdown deadlines and the active-tenant window. Default: the system clock. */
  clock?: Clock;
  /** An existing hub client to register (and discover) with; the service does not close it. Default: one made from `hubUrls`. */
  hubClient?: HubClient;
  /** Options of the hub client the service makes (not used with `hubClient`). Default: `@hub/client`'s defaults. */
  hubClientOptions?: Omit<NodeHubClientOptions, "hubUrls">;
  /** Measures every request for `/health` and `/metrics`. Default: a new `PerformanceTracker(serviceName)`. */
  tracker?: PerformanceTracker;
  /** Options of the tracker the service makes (not used with `tracker`). Default: that package's defaults. */
  trackerOptions?: PerformanceTrackerOptions;
  /** Analyses every 5xx for the logs. Default: a new `ErrorDNA(serviceName)`. */
  errorDna?: ErrorDNA;
  /** Where the dynamic config comes from (see `createFileConfigSource`). Default: none. */
  configSource?: ConfigSource<TConfig>;
  /**
   * Applies a new dynamic config, without a restart: called with the first config before the server
   * listens, then with every change. When it throws, the change is logged and the previous config stays current.
   * Default: none (read the config with `service.dynamicConfig()`).
   */
  onConfigChange?: (config: TConfig, previous: TConfig | undefined) => void | Promise<void>;
  /** How long `start()` waits for the config source's first config, in ms. Default: 10000. */
  configTimeoutMs?: number;
  /** Translate domain errors into `ServiceError`s, tried in order before the built-in mapping. Default: none. */
  errorMappers?: readonly ErrorMapper[];
  /** Load reported with each heartbeat (0 = idle). Default: the number of requests in flight. */
  load?: () => number | Promise<number>;
  /**
   * Ends the process after a signal-triggered shutdown, if it has not ended by itself within 500 ms
   * (the exit code is set to 0 either way). Default: `process.exit`.
   */
  exit?: (code: number) => void;
}

/** {@link BaseServiceOptions} with every default applied (those that need the config are made by the service). @internal */
export interface ResolvedBaseServiceOptions<TConfig> {
  readonly handleSignals: boolean;
  readonly logger: Logger | undefined;
  readonly clock: Clock;
  readonly hubClient: HubClient | undefined;
  readonly hubClientOptions: Omit<NodeHubClientOptions, "hubUrls">;
  readonly tracker: PerformanceTracker | undefined;
  readonly trackerOptions: PerformanceTrackerOptions;
  readonly errorDna: ErrorDNA | undefined;
  readonly configSource: ConfigSource<TConfig> | undefined;
  readonly onConfigChange:
    | ((config: TConfig, previous: TConfig | undefined) => void | Promise<void>)
    | undefined;
  readonly configTimeoutMs: number;
  readonly errorMappers: readonly ErrorMapper[];
  readonly load: (() => number | Promise<number>) | undefined;
  readonly exit: (code: number) => void;
}

/** Options of {@link createFileConfigSource}. */
export interface FileConfigSourceOptions<T> {
  /** The JSON file. Required. */
  path: string;
  /**
   * Turns the parsed JSON into the config, throwing when it is not acceptable (a zod schema's
   * `parse` works; its issues name the bad fields in the log line). Default: accepts any JSON object.
   */
  validate?: (value: unknown) => T;
  /** Quiet time after the last change before the file is read, in ms. Default: 100. */
  debounceMs?: number;
  /** Timers for the debounce. Default: the system clock. */
  clock?: Clock;
}

/** {@link FileConfigSourceOptions} with every default applied. @internal */
export interface ResolvedFileConfigSourceOptions<T> {
  readonly path: string;
  readonly validate: (value: unknown) => T;
  readonly debounceMs: number;
  readonly clock: Clock;
}

/** Options of {@link createHubConfigSource}. */
export interface HubConfigSourceOptions<T> {
  /**
   * Which config: `{ global: true }`, `{ tier: "pro" }`, or `{ tenant: "acme" }` (the tenant's
   * effective config: its tier's defaults with its overrides). Required.
   */
  scope: ConfigScope;
  /**
   * Turns the hub's JSON object into the config, throwing when it is not acceptable (a zod
   * schema's `parse` works). Default: accepts any JSON object.
   */
  validate?: (value: unknown) => T;
  /**
   * The hub client to watch through (e.g. the service's own), which stays yours to close.
   * Default: a client made from `hubUrls` and `hubClientOptions`, closed when the last subscriber leaves.
   */
  client?: HubClient;
  /** Hub base URLs, when no `client` is given. Default: `["http://127.0.0.1:7000"]`. */
  hubUrls?: readonly string[];
  /**
   * More options for the client made from `hubUrls` (backoff, clock, `createTransport`, ...).
   * Default: none.
   */
  hubClientOptions?: Omit<NodeHubClientOptions, "hubUrls">;
  /**
   * Tenant headers sent with the watch. The hub serves a tenant's config to a trusted caller
   * asserting that company, or asserting none (a gateway); reads need no admin token. Default: the
   * client's tenant (none for a client made here).
   */
  tenant?: HubTenantContext;
  /**
   * Receives the watch's connection trouble (the hub unreachable, restarting), which is retried
   * with backoff and is not a rejected document. Default: none.
   */
  onDisconnect?: (error: Error, retryInMs: number) => void;
}

/** The defaults, in one place. */
export const baseServiceDefaults = {
  version: "0.0.0",
  port: 0,
  host: "127.0.0.1",
  hubUrls: ["http://127.0.0.1:7000"],
  register: true,
  healthEndpoint: "/health",
  metricsEndpoint: "/metrics",
  tenantCapable: true,
  registerTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  dependencyTimeoutMs: 1_000,
  maxBodyBytes: 1_048_576,
  maxTenantIdLength: 256,
  activeTenantWindowMs: 300_000,
  logLevel: "info",
  handleSignals: true,
  configTimeoutMs: 10_000,
  fileDebounceMs: 100,
} as const;

const d = baseServiceDefaults;

const milliseconds = z.int().min(1).max(2_147_483_647);
const isFunction = (value: unknown): boolean => typeof value === "function";
const fn = <T>() => z.custom<T>(isFunction, { message: "must be a function" });
const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === "object" &&
  value !== null &&
  names.every((name) => typeof Reflect.get(value, name) === "function");
const objectWith = <T>(names: readonly string[]) =>
  z.custom<T>((value) => hasMethods(value, names), { message: `must have ${names.join("(), ")}()` });

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol), {
    message: "must be an http: or https: URL",
  });
const path = z.string().regex(/^\/[^\s?#]*$/, { message: "must be a path starting with /, without query" });

const healthCheckSchema = z.strictObject({
  disabled: z.boolean().optional(),
  intervalMs: milliseconds.optional(),
  timeoutMs: milliseconds.optional(),
  rise: z.int().min(1).max(10).optional(),
  fall: z.int().min(1).max(10).optional(),
});

const serviceConfigSchema = z
  .strictObject({
    serviceName: z
      .string()
      .max(63)
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
        message: "must be lower-case letters, digits and inner dashes",
      }),
    version: z.string().min(1).max(128).default(d.version),
    port: z.int().min(0).max(65_535).default(d.port),
    host: z.string().min(1).max(253).default(d.host),
    advertiseHost: z.string().min(1).max(253).optional(),
    hubUrls: z.array(httpUrl).min(1).optional(),
    hubUrl: httpUrl.optional(),
    register: z.boolean().default(d.register),
    instanceId: z.string().min(1).max(253).optional(),
    healthEndpoint: path.default(d.healthEndpoint),
    metricsEndpoint: path.nullable().default(d.metricsEndpoint),
    zone: z.string().max(128).optional(),
    weight: z.int().min(1).max(10_000).optional(),
    metadata: z.record(z.string(), z.string()).default({}),
    tags: z.array(z.string().min(1).max(64)).default([]),
    tenantCapable: z.boolean().default(d.tenantCapable),
    subscriptionRequirements: z.array(z.enum(subscriptionTiers)).default([]),
    resourceTier: z.enum(["basic", "premium", "enterprise"]).optional(),
    ttlMs: z.int().min(1_000).max(86_400_000).optional(),
    deregisterCriticalAfterMs: z.int().min(1_000).max(604_800_000).optional(),
    healthCheck: healthCheckSchema.default({}),
    heartbeatIntervalMs: milliseconds.optional(),
    registerTimeoutMs: milliseconds.default(d.registerTimeoutMs),
    shutdownTimeoutMs: milliseconds.default(d.shutdownTimeoutMs),
    dependencyTimeoutMs: z.int().min(1).max(600_000).default(d.dependencyTimeoutMs),
    diskPath: z.string().min(1).optional(),
    maxBodyBytes: z.int().min(1).max(1_073_741_824).default(d.maxBodyBytes),
    maxTenantIdLength: z.int().min(1).max(8_192).default(d.maxTenantIdLength),
    activeTenantWindowMs: milliseconds.default(d.activeTenantWindowMs),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default(d.logLevel),
  })
  .refine((config) => config.hubUrl === undefined || config.hubUrls === undefined, {
    message: "give hubUrl or hubUrls, not both",
    path: ["hubUrl"],
  })
  .refine((config) => config.healthEndpoint !== config.metricsEndpoint, {
    message: "must differ from healthEndpoint",
    path: ["metricsEndpoint"],
  });

const wildcardHosts = new Set(["0.0.0.0", "::", "[::]", "::0"]);

/**
 * Validates a service config, in camelCase or snake_case, and applies the defaults.
 * @throws BaseServiceError INVALID_CONFIG naming each bad key as it was spelled, e.g. `service_name: must be lower-case letters, ...`.
 * @internal
 */
export function resolveServiceConfig(input: ServiceConfigInput): ResolvedServiceConfig {
  const { value, spelling, conflicts } = camelCaseKeys(input);
  const parsed = serviceConfigSchema.safeParse(value);
  if (!parsed.success || conflicts.length > 0) {
    const issues = parsed.success ? [] : formatIssues(parsed.error.issues, spelling, "config");
    throw new BaseServiceError("INVALID_CONFIG", [...conflicts, ...issues].join("; "));
  }
  const c = parsed.data;
  return {
    serviceName: c.serviceName,
    version: c.version,
    port: c.port,
    host: c.host,
    advertiseHost: c.advertiseHost ?? (wildcardHosts.has(c.host) ? hostname() : c.host),
    hubUrls: [...new Set((c.hubUrls ?? (c.hubUrl === undefined ? d.hubUrls : [c.hubUrl])).map(trimSlash))],
    register: c.register,
    instanceId: c.instanceId,
    healthEndpoint: c.healthEndpoint,
    metricsEndpoint: c.metricsEndpoint,
    zone: c.zone,
    weight: c.weight,
    metadata: c.metadata,
    tags: c.tags,
    tenantCapable: c.tenantCapable,
    subscriptionRequirements: c.subscriptionRequirements,
    resourceTier: c.resourceTier,
    ttlMs: c.ttlMs,
    deregisterCriticalAfterMs: c.deregisterCriticalAfterMs,
    healthCheck: definedOnly(c.healthCheck),
    heartbeatIntervalMs: c.heartbeatIntervalMs,
    registerTimeoutMs: c.registerTimeoutMs,
    shutdownTimeoutMs: c.shutdownTimeoutMs,
    dependencyTimeoutMs: c.dependencyTimeoutMs,
    diskPath: c.diskPath ?? process.cwd(),
    maxBodyBytes: c.maxBodyBytes,
    maxTenantIdLength: c.maxTenantIdLength,
    activeTenantWindowMs: c.activeTenantWindowMs,
    logLevel: c.logLevel,
  };
}

const optionsSchema = z.strictObject({
  handleSignals: z.boolean().default(d.handleSignals),
  logger: objectWith<Logger>(["info", "error", "child"]).optional(),
  clock: objectWith<Clock>(["now", "setTimeout", "clearTimeout"]).default(systemClock),
  hubClient: objectWith<HubClient>(["register", "discover", "close"]).optional(),
  // Checked by @hub/client when the client is made.
  hubClientOptions: z.record(z.string(), z.unknown()).default({}),
  tracker: objectWith<PerformanceTracker>(["measure", "snapshot", "record"]).optional(),
  // Checked by @hub/perf-tracker when the tracker is made.
  trackerOptions: z.record(z.string(), z.unknown()).default({}),
  errorDna: objectWith<ErrorDNA>(["analyze"]).optional(),
  configSource: objectWith<ConfigSource<unknown>>(["subscribe"]).optional(),
  onConfigChange: fn<(config: unknown, previous: unknown) => void | Promise<void>>().optional(),
  configTimeoutMs: milliseconds.default(d.configTimeoutMs),
  errorMappers: z.array(fn<ErrorMapper>()).default([]),
  load: fn<() => number | Promise<number>>().optional(),
  exit: fn<(code: number) => void>().default(() => (code: number) => process.exit(code)),
});

/**
 * Validates the embedding options and applies the defaults.
 * @throws BaseServiceError INVALID_CONFIG naming each bad field.
 * @internal
 */
export function resolveBaseServiceOptions<TConfig>(
  input: BaseServiceOptions<TConfig> | undefined,
): ResolvedBaseServiceOptions<TConfig> {
  const parsed = optionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new BaseServiceError(
      "INVALID_CONFIG",
      formatIssues(parsed.error.issues, new Map(), "options").join("; "),
    );
  }
  const o = parsed.data;
  return {
    handleSignals: o.handleSignals,
    logger: o.logger,
    clock: o.clock,
    hubClient: o.hubClient,
    hubClientOptions: o.hubClientOptions as Omit<NodeHubClientOptions, "hubUrls">,
    tracker: o.tracker,
    trackerOptions: o.trackerOptions as PerformanceTrackerOptions,
    errorDna: o.errorDna,
    configSource: o.configSource as ConfigSource<TConfig> | undefined,
    onConfigChange: o.onConfigChange as ResolvedBaseServiceOptions<TConfig>["onConfigChange"],
    configTimeoutMs: o.configTimeoutMs,
    errorMappers: o.errorMappers,
    load: o.load,
    exit: o.exit,
  };
}

const fileSourceSchema = z.strictObject({
  path: z.string().min(1),
  validate: fn<(value: unknown) => unknown>().optional(),
  debounceMs: z.int().min(0).max(60_000).default(d.fileDebounceMs),
  clock: objectWith<Clock>(["now", "setTimeout", "clearTimeout"]).default(systemClock),
});

const configScope = z.custom<ConfigScope>(
  (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    if (keys.length !== 1) return false;
    const scope = value as Record<string, unknown>;
    if (keys[0] === "global") return scope.global === true;
    if (keys[0] === "tier") return (subscriptionTiers as readonly unknown[]).includes(scope.tier);
    return keys[0] === "tenant" && typeof scope.tenant === "string" && scope.tenant !== "";
  },
  { message: 'must be { global: true }, { tier: "free" | "pro" | "enterprise" } or { tenant: "<id>" }' },
);

const hubSourceSchema = z.strictObject({
  scope: configScope,
  validate: fn<(value: unknown) => unknown>().optional(),
  client: objectWith<HubClient>(["watchConfig", "close"]).optional(),
  hubUrls: z.array(httpUrl).min(1).optional(),
  hubClientOptions: z.record(z.string(), z.unknown()).optional(),
  tenant: z.record(z.string(), z.unknown()).optional(),
  onDisconnect: fn<(error: Error, retryInMs: number) => void>().optional(),
});

/**
 * Checks the options of `createHubConfigSource`: a known scope, no unknown keys (a misspelt
 * `hubUrl` would otherwise silently watch the default hub).
 * @throws BaseServiceError INVALID_CONFIG naming each bad field.
 * @internal
 */
export function checkHubConfigSourceOptions<T>(input: HubConfigSourceOptions<T>): void {
  const parsed = hubSourceSchema.safeParse(input);
  if (!parsed.success) {
    throw new BaseServiceError(
      "INVALID_CONFIG",
      formatIssues(parsed.error.issues, new Map(), "options").join("; "),
    );
  }
}

/** Accepts any JSON object: the default validation of a config file. */
function jsonObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * Validates the options of `createFileConfigSource` and applies the defaults.
 * @throws BaseServiceError INVALID_CONFIG naming each bad field.
 * @internal
 */
export function resolveFileConfigSourceOptions<T>(
  input: FileConfigSourceOptions<T>,
): ResolvedFileConfigSourceOptions<T> {
  const parsed = fileSourceSchema.safeParse(input);
  if (!parsed.success) {
    throw new BaseServiceError(
      "INVALID_CONFIG",
      formatIssues(parsed.error.issues, new Map(), "options").join("; "),
    );
  }
  return {
    path: parsed.data.path,
    validate: (parsed.data.validate ?? jsonObject) as (value: unknown) => T,
    debounceMs: parsed.data.debounceMs,
    clock: parsed.data.clock,
  };
}

const snakeToCamel = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_m, char: string) => char.toUpperCase());

/**
 * Rewrites snake_case keys (top level and `health_check`) to camelCase and remembers how each was
 * spelled, so errors name the key the user wrote. A key given in both spellings is a conflict.
 */
function camelCaseKeys(input: unknown): {
  value: unknown;
  spelling: Map<string, string>;
  conflicts: string[];
} {
  const spelling = new Map<string, string>();
  const conflicts: string[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { value: input, spelling, conflicts };
  const rewrite = (
    source: Record<string, unknown>,
    prefix: string,
    writtenPrefix: string,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      const camel = snakeToCamel(key);
      const written = writtenPrefix + key;
      const previous = spelling.get(prefix + camel);
      if (previous !== undefined) {
        conflicts.push(`${written}: given twice (also as ${previous})`);
        continue;
      }
      spelling.set(prefix + camel, written);
      out[camel] =
        prefix === "" &&
        camel === "healthCheck" &&
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value)
          ? rewrite(value as Record<string, unknown>, "healthCheck.", `${key}.`)
          : value;
    }
    return out;
  };
  return { value: rewrite(input as Record<string, unknown>, "", ""), spelling, conflicts };
}

function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  spelling: ReadonlyMap<string, string>,
  root: string,
): string[] {
  // The longest known prefix of a path is replaced by how the user wrote it: hubUrls.0 → hub_urls.0.
  const written = (segments: readonly string[]): string => {
    for (let length = segments.length; length > 0; length--) {
      const known = spelling.get(segments.slice(0, length).join("."));
      if (known !== undefined) return [known, ...segments.slice(length)].join(".");
    }
    return segments.join(".");
  };
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // Unknown keys come as one issue listing them; name each as written.
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => `${written([...path, key])}: unknown key`);
    return [`${path.length === 0 ? root : written(path)}: ${issue.message}`];
  });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function definedOnly(check: z.output<typeof healthCheckSchema>): HealthCheckConfig {
  const result: HealthCheckConfig = {};
  if (check.disabled !== undefined) result.disabled = check.disabled;
  if (check.intervalMs !== undefined) result.intervalMs = check.intervalMs;
  if (check.timeoutMs !== undefined) result.timeoutMs = check.timeoutMs;
  if (check.rise !== undefined) result.rise = check.rise;
  if (check.fall !== undefined) result.fall = check.fall;
  return result;
}
