import type { Interceptor, Transport } from "@connectrpc/connect";
import type { TransportFallbackOptions } from "@hub/transport-fallback";
import { z } from "zod";
import { type Clock, systemClock } from "./clock.js";
import type { HubClientEvent } from "./events.js";
import { HubClientError } from "./hub-client-error.js";
import { type SelectionStrategy, selectionStrategies } from "./selection.js";

/** Subscription tiers, ascending: a service that requires `pro` is visible to `pro` and `enterprise`. */
export type SubscriptionTier = "free" | "pro" | "enterprise";

/** How callers reach an instance; it also decides how the hub health-checks it. */
export type InstanceProtocol = "http" | "https" | "grpc" | "h2c" | "tcp";

/**
 * Who is calling, sent as `x-company-id`, `x-user-id`, `x-subscription-tier` and `x-correlation-id`.
 * The hub trusts these only from callers allowed to assert them (see the hub's `--trust-tenant-headers`).
 */
export interface TenantContext {
  /** Sent as `x-company-id`. Default: not sent. */
  companyId?: string;
  /** Sent as `x-user-id`. Default: not sent. */
  userId?: string;
  /** Sent as `x-subscription-tier`; decides which services the hub shows. Default: not sent (every service). */
  subscriptionTier?: SubscriptionTier;
  /** Sent as `x-correlation-id`; the hub makes one when absent. Default: not sent. */
  correlationId?: string;
}

/** Exponential backoff with jitter, used while no hub answers (heartbeats, registration, the watch). */
export interface BackoffOptions {
  /** Delay after the first failure, in ms. Default: 500. */
  initialMs?: number;
  /** Longest delay, in ms. Heartbeat retries are also capped by the heartbeat interval. Default: 30000. */
  maxMs?: number;
  /** Growth factor per consecutive failure (at least 1). Default: 2. */
  multiplier?: number;
  /** Fraction (0-1) of each delay drawn at random, so clients that failed together retry apart. Default: 0.5. */
  jitter?: number;
}

/** Options of `createHubClient`, shared by the Node and browser entry points. Every field is optional. */
export interface HubClientOptions {
  /** Base URLs of the hubs, tried in order, preferring the one that last worked. Default: `["http://127.0.0.1:7000"]`. */
  hubUrls?: readonly string[];
  /** Tenant headers sent with every call, the watch stream included. Default: none. */
  tenant?: TenantContext;
  /** Ask the hub for every service regardless of tier, as callers did before tenant context existed. Default: false. */
  legacyMode?: boolean;
  /** Selection strategy of `discover` when the call names none. Default: `"round_robin"`. */
  strategy?: SelectionStrategy;
  /** Deadline of one RPC across every hub it is tried on, in ms. Default: 10000. */
  callTimeoutMs?: number;
  /** Cap on one hub's share of an RPC's deadline, in ms, so a hanging hub leaves time for the next. Default: 3000. */
  attemptTimeoutMs?: number;
  /** How long `discover` waits for the first snapshot before it falls back (see `discoverFallback`), in ms. Default: 2000. */
  snapshotWaitMs?: number;
  /** Before the first snapshot, answer `discover` with a direct Discover RPC instead of failing. Default: true. */
  discoverFallback?: boolean;
  /** Open the watch stream when the client is created instead of on the first `discover`. Default: false. */
  watchOnStart?: boolean;
  /** While the watch stream is quiet, check that its hub still answers this often, in ms. Default: 15000. */
  watchCheckIntervalMs?: number;
  /** Backoff while no hub answers. Default: see {@link BackoffOptions}. */
  backoff?: BackoffOptions;
  /** Heartbeats per lease TTL when a registration sets no interval: 3 means every TTL/3. Default: 3. */
  heartbeatsPerTtl?: number;
  /** Fraction (0-0.5) by which each heartbeat may come early at random, so instances spread out. Default: 0.1. */
  heartbeatJitter?: number;
  /** Time source for timers, backoff and staleness. Default: the system clock (`Date.now()`, global timers). */
  clock?: Clock;
  /** Source of randomness in [0, 1) for jitter and least-load selection. Default: `Math.random`. */
  random?: () => number;
  /** Receives every {@link HubClientEvent}; exceptions it throws are ignored. Default: none. */
  onEvent?: (event: HubClientEvent) => void;
  /** Builds the transport for one hub URL instead of the entry point's own (tests, custom stacks). Default: none. */
  createTransport?: (hubUrl: string) => Transport;
}

/** Options of the Node entry point's `createHubClient`. */
export interface NodeHubClientOptions extends HubClientOptions {
  /**
   * Options of the `@hub/transport-fallback` manager built for each hub URL (Connect binary, then
   * gRPC, then Connect JSON, with breakers). Default: that package's defaults.
   */
  fallback?: Omit<TransportFallbackOptions, "baseUrl" | "clock">;
}

/** Options of the browser entry point's `createHubClient`. */
export interface WebHubClientOptions extends HubClientOptions {
  /** `"connect"` (the Connect protocol over fetch) or `"grpc-web"`. Default: `"connect"`. */
  protocol?: "connect" | "grpc-web";
  /** Binary Protobuf instead of JSON on the wire. Default: true. */
  useBinaryFormat?: boolean;
  /** Interceptors for every call. Default: none. */
  interceptors?: readonly Interceptor[];
  /** The fetch implementation. Default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** Active health-check settings of a registration. Unset fields take the hub's defaults. */
export interface HealthCheckRegistration {
  /** No active check: the status follows the lease (heartbeats) only. Default: false. */
  disabled?: boolean;
  /** Time between two probes, in ms. Default: the hub's. */
  intervalMs?: number;
  /** Time one probe may take, in ms; below the interval. Default: the hub's. */
  timeoutMs?: number;
  /** Consecutive passes before healthy. Default: the hub's. */
  rise?: number;
  /** Consecutive failures before unhealthy. Default: the hub's. */
  fall?: number;
  /** For gRPC instances: the service name sent in grpc.health.v1 Check. Default: `""` (the server). */
  grpcService?: string;
}

/** What an instance tells the hub about itself. `name`, `host` and `port` are required. */
export interface InstanceRegistration {
  /** Service name: `[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at most 63 characters. */
  name: string;
  /** Hostname, IPv4 or IPv6 literal that callers use. */
  host: string;
  /** 1-65535. */
  port: number;
  /** Stable id within the service. Default: the hub derives one from host and port. */
  id?: string;
  /** Default: `"http"`. */
  protocol?: InstanceProtocol;
  /** Path the hub probes for http/https instances. Default: the hub's (`"/health"`). */
  healthEndpoint?: string;
  /** Default: none. */
  version?: string;
  /** Default: none. */
  zone?: string;
  /** Relative weight for weighted selection. Default: the hub's (100). */
  weight?: number;
  /** Default: none. */
  metadata?: Readonly<Record<string, string>>;
  /** Default: none. */
  tags?: readonly string[];
  /** Default: false. */
  tenantCapable?: boolean;
  /** Tiers allowed to discover the instance. Default: none (public). */
  subscriptionRequirements?: readonly SubscriptionTier[];
  /** `"basic"`, `"premium"` or `"enterprise"`. Default: the hub's (`"basic"`). */
  resourceTier?: "basic" | "premium" | "enterprise";
  /** Default: the hub's check settings. */
  healthCheck?: HealthCheckRegistration;
  /** Lease: without a heartbeat for this long the instance turns unhealthy, in ms. Default: the hub's (30 s). */
  ttlMs?: number;
  /** An instance whose lease lapsed this long ago is removed, in ms. Default: the hub's (300 s). */
  deregisterCriticalAfterMs?: number;
}

/** Options of `client.register(registration, options)`. Every field is optional. */
export interface RegisterOptions {
  /** Current load (0 = idle, any non-negative figure), read before each heartbeat. Default: always 0. */
  load?: () => number | Promise<number>;
  /** Time between heartbeats, in ms. Default: the lease TTL the hub granted / `heartbeatsPerTtl`. */
  heartbeatIntervalMs?: number;
  /** How long `register` keeps retrying while no hub answers before it fails, in ms. Default: 30000. */
  registerTimeoutMs?: number;
  /** Cancels the initial registration. Default: none. */
  signal?: AbortSignal;
  /** Tenant headers for this registration's calls, over the client's. Default: the client's. */
  tenant?: TenantContext;
}

/** Options of `client.discover(name, options)`. Every field is optional. */
export interface DiscoverOptions {
  /** Default: the client's `strategy`. */
  strategy?: SelectionStrategy;
  /** Cancels a wait for the first snapshot or a direct Discover RPC. Default: none. */
  signal?: AbortSignal;
  /**
   * Tenant headers over the client's. The cache holds the client tenant's view, so a call whose
   * company, user or tier differs is answered by a direct Discover RPC. Default: the client's.
   */
  tenant?: TenantContext;
  /** Default: the client's `snapshotWaitMs`. */
  snapshotWaitMs?: number;
  /** Default: the client's `discoverFallback`. */
  fallback?: boolean;
}

/** {@link BackoffOptions} with every default applied. @internal */
export interface ResolvedBackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  readonly jitter: number;
}

/** {@link HubClientOptions} with every default applied. @internal */
export interface ResolvedHubClientOptions {
  readonly hubUrls: readonly string[];
  readonly tenant: TenantContext;
  readonly legacyMode: boolean;
  readonly strategy: SelectionStrategy;
  readonly callTimeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly snapshotWaitMs: number;
  readonly discoverFallback: boolean;
  readonly watchOnStart: boolean;
  readonly watchCheckIntervalMs: number;
  readonly backoff: ResolvedBackoffOptions;
  readonly heartbeatsPerTtl: number;
  readonly heartbeatJitter: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly onEvent: ((event: HubClientEvent) => void) | null;
  readonly createTransport: ((hubUrl: string) => Transport) | null;
}

/** {@link WebHubClientOptions}' transport fields with every default applied. @internal */
export interface ResolvedWebTransportOptions {
  readonly protocol: "connect" | "grpc-web";
  readonly useBinaryFormat: boolean;
  readonly interceptors: readonly Interceptor[];
  readonly fetch: typeof globalThis.fetch | null;
}

/** {@link RegisterOptions} with every default applied. @internal */
export interface ResolvedRegisterOptions {
  readonly load: (() => number | Promise<number>) | null;
  readonly heartbeatIntervalMs: number | null;
  readonly registerTimeoutMs: number;
  readonly signal: AbortSignal | null;
  readonly tenant: TenantContext;
}

/** {@link DiscoverOptions} with every default applied (the client's where the call sets none). @internal */
export interface ResolvedDiscoverOptions {
  readonly strategy: SelectionStrategy;
  readonly signal: AbortSignal | null;
  readonly tenant: TenantContext;
  /** True when the call's tenant sees another view than the client's cache holds. */
  readonly tenantDiffers: boolean;
  readonly snapshotWaitMs: number;
  readonly fallback: boolean;
}

/** The defaults, in one place. */
export const defaultHubClientOptions = {
  hubUrls: ["http://127.0.0.1:7000"],
  legacyMode: false,
  strategy: "round_robin",
  callTimeoutMs: 10_000,
  attemptTimeoutMs: 3_000,
  snapshotWaitMs: 2_000,
  discoverFallback: true,
  watchOnStart: false,
  watchCheckIntervalMs: 15_000,
  backoff: { initialMs: 500, maxMs: 30_000, multiplier: 2, jitter: 0.5 },
  heartbeatsPerTtl: 3,
  heartbeatJitter: 0.1,
  registerTimeoutMs: 30_000,
  protocol: "connect",
  useBinaryFormat: true,
} as const;

const d = defaultHubClientOptions;

const isFunction = (value: unknown): boolean => typeof value === "function";
const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === "object" &&
  value !== null &&
  names.every((name) => typeof Reflect.get(value, name) === "function");

const fn = <T>() => z.custom<T>(isFunction, { message: "must be a function" });
const milliseconds = z.int().min(1).max(2_147_483_647);
const fraction = z.number().min(0).max(1);
const tier = z.enum(["free", "pro", "enterprise"]);
const headerValue = z.string().min(1).max(1024);

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol), {
    message: "must be an http: or https: URL",
  });

const tenantSchema = z.strictObject({
  companyId: headerValue.optional(),
  userId: headerValue.optional(),
  subscriptionTier: tier.optional(),
  correlationId: headerValue.optional(),
});

const backoffSchema = z
  .strictObject({
    initialMs: milliseconds.default(d.backoff.initialMs),
    maxMs: milliseconds.default(d.backoff.maxMs),
    multiplier: z.number().min(1).max(100).default(d.backoff.multiplier),
    jitter: fraction.default(d.backoff.jitter),
  })
  .refine((b) => b.maxMs >= b.initialMs, { message: "maxMs must be at least initialMs", path: ["maxMs"] });

const clientShape = {
  hubUrls: z
    .array(httpUrl)
    .min(1)
    .default([...d.hubUrls]),
  tenant: tenantSchema.default({}),
  legacyMode: z.boolean().default(d.legacyMode),
  strategy: z.enum(selectionStrategies).default(d.strategy),
  callTimeoutMs: milliseconds.default(d.callTimeoutMs),
  attemptTimeoutMs: milliseconds.default(d.attemptTimeoutMs),
  snapshotWaitMs: z.int().min(0).max(2_147_483_647).default(d.snapshotWaitMs),
  discoverFallback: z.boolean().default(d.discoverFallback),
  watchOnStart: z.boolean().default(d.watchOnStart),
  watchCheckIntervalMs: milliseconds.default(d.watchCheckIntervalMs),
  backoff: backoffSchema.prefault({}),
  heartbeatsPerTtl: z.number().min(1).max(100).default(d.heartbeatsPerTtl),
  heartbeatJitter: z.number().min(0).max(0.5).default(d.heartbeatJitter),
  clock: z
    .custom<Clock>((value) => hasMethods(value, ["now", "setTimeout", "clearTimeout"]), {
      message: "must have now(), setTimeout() and clearTimeout()",
    })
    .default(systemClock),
  random: fn<() => number>().default(() => Math.random),
  onEvent: fn<(event: HubClientEvent) => void>().optional(),
  createTransport: fn<(hubUrl: string) => Transport>().optional(),
};

const clientSchema = z.strictObject(clientShape);

const nodeSchema = z.strictObject({
  ...clientShape,
  // Checked by @hub/transport-fallback itself when the manager is built.
  fallback: z.record(z.string(), z.unknown()).optional(),
});

const webSchema = z.strictObject({
  ...clientShape,
  protocol: z.enum(["connect", "grpc-web"]).default(d.protocol),
  useBinaryFormat: z.boolean().default(d.useBinaryFormat),
  interceptors: z.array(fn<Interceptor>()).default([]),
  fetch: fn<typeof globalThis.fetch>().optional(),
});

type ParsedClient = z.output<typeof clientSchema>;

function resolveClient(options: ParsedClient): ResolvedHubClientOptions {
  return {
    hubUrls: [...new Set(options.hubUrls.map((url) => url.replace(/\/+$/, "")))],
    tenant: definedOnly(options.tenant),
    legacyMode: options.legacyMode,
    strategy: options.strategy,
    callTimeoutMs: options.callTimeoutMs,
    attemptTimeoutMs: Math.min(options.attemptTimeoutMs, options.callTimeoutMs),
    snapshotWaitMs: options.snapshotWaitMs,
    discoverFallback: options.discoverFallback,
    watchOnStart: options.watchOnStart,
    watchCheckIntervalMs: options.watchCheckIntervalMs,
    backoff: options.backoff,
    heartbeatsPerTtl: options.heartbeatsPerTtl,
    heartbeatJitter: options.heartbeatJitter,
    clock: options.clock,
    random: options.random,
    onEvent: options.onEvent ?? null,
    createTransport: options.createTransport ?? null,
  };
}

/**
 * Validates the options shared by both entry points and applies the defaults.
 * @throws HubClientError INVALID_OPTIONS naming each bad field, e.g. `hubUrls.0: must be an http: or https: URL`.
 * @internal
 */
export function resolveHubClientOptions(input: HubClientOptions | undefined): ResolvedHubClientOptions {
  return resolveClient(parseOrThrow(clientSchema, input ?? {}));
}

/**
 * Validates the Node entry point's options.
 * @throws HubClientError INVALID_OPTIONS naming each bad field.
 * @internal
 */
export function resolveNodeHubClientOptions(input: NodeHubClientOptions | undefined): {
  readonly client: ResolvedHubClientOptions;
  readonly fallback: Omit<TransportFallbackOptions, "baseUrl" | "clock">;
} {
  const { fallback, ...rest } = parseOrThrow(nodeSchema, input ?? {});
  return { client: resolveClient(rest), fallback: (fallback ?? {}) as NodeHubClientOptions["fallback"] & {} };
}

/**
 * Validates the browser entry point's options.
 * @throws HubClientError INVALID_OPTIONS naming each bad field.
 * @internal
 */
export function resolveWebHubClientOptions(input: WebHubClientOptions | undefined): {
  readonly client: ResolvedHubClientOptions;
  readonly transport: ResolvedWebTransportOptions;
} {
  const { protocol, useBinaryFormat, interceptors, fetch, ...rest } = parseOrThrow(webSchema, input ?? {});
  return {
    client: resolveClient(rest),
    transport: { protocol, useBinaryFormat, interceptors, fetch: fetch ?? null },
  };
}

const instanceSchema = z.strictObject({
  name: z.string().min(1).max(63),
  host: z.string().min(1).max(253),
  port: z.int().min(1).max(65_535),
  id: z.string().min(1).max(253).optional(),
  protocol: z.enum(["http", "https", "grpc", "h2c", "tcp"]).optional(),
  healthEndpoint: z.string().min(1).optional(),
  version: z.string().optional(),
  zone: z.string().optional(),
  weight: z.int().min(1).max(1_000_000).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.string()).optional(),
  tenantCapable: z.boolean().optional(),
  subscriptionRequirements: z.array(tier).optional(),
  resourceTier: z.enum(["basic", "premium", "enterprise"]).optional(),
  healthCheck: z
    .strictObject({
      disabled: z.boolean().optional(),
      intervalMs: milliseconds.optional(),
      timeoutMs: milliseconds.optional(),
      rise: z.int().min(1).optional(),
      fall: z.int().min(1).optional(),
      grpcService: z.string().optional(),
    })
    .optional(),
  ttlMs: milliseconds.optional(),
  deregisterCriticalAfterMs: milliseconds.optional(),
});

/**
 * Validates a registration's shape (types and ranges); the hub checks the rest (name syntax, limits).
 * @throws HubClientError INVALID_OPTIONS naming each bad field.
 * @internal
 */
export function validateRegistration(input: InstanceRegistration): InstanceRegistration {
  parseOrThrow(instanceSchema, input, "registration");
  return input;
}

const registerSchema = z.strictObject({
  load: fn<() => number | Promise<number>>().optional(),
  heartbeatIntervalMs: milliseconds.optional(),
  registerTimeoutMs: milliseconds.default(d.registerTimeoutMs),
  signal: z.instanceof(AbortSignal).optional(),
  tenant: tenantSchema.optional(),
});

/**
 * Validates `register`'s options and applies the defaults; the tenant is merged over the client's.
 * @throws HubClientError INVALID_OPTIONS naming each bad field.
 * @internal
 */
export function resolveRegisterOptions(
  client: ResolvedHubClientOptions,
  input: RegisterOptions | undefined,
): ResolvedRegisterOptions {
  const options = parseOrThrow(registerSchema, input ?? {});
  return {
    load: options.load ?? null,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? null,
    registerTimeoutMs: options.registerTimeoutMs,
    signal: options.signal ?? null,
    tenant: { ...client.tenant, ...definedOnly(options.tenant ?? {}) },
  };
}

const discoverSchema = z.strictObject({
  strategy: z.enum(selectionStrategies).optional(),
  signal: z.instanceof(AbortSignal).optional(),
  tenant: tenantSchema.optional(),
  snapshotWaitMs: z.int().min(0).max(2_147_483_647).optional(),
  fallback: z.boolean().optional(),
});

/**
 * Validates `discover`'s options and fills in the client's where the call sets none.
 * @throws HubClientError INVALID_OPTIONS naming each bad field.
 * @internal
 */
export function resolveDiscoverOptions(
  client: ResolvedHubClientOptions,
  input: DiscoverOptions | undefined,
): ResolvedDiscoverOptions {
  const options = parseOrThrow(discoverSchema, input ?? {});
  const own = definedOnly(options.tenant ?? {});
  const tenant = { ...client.tenant, ...own };
  const tenantDiffers =
    tenant.companyId !== client.tenant.companyId ||
    tenant.userId !== client.tenant.userId ||
    tenant.subscriptionTier !== client.tenant.subscriptionTier;
  return {
    strategy: options.strategy ?? client.strategy,
    signal: options.signal ?? null,
    tenant,
    tenantDiffers,
    snapshotWaitMs: options.snapshotWaitMs ?? client.snapshotWaitMs,
    fallback: options.fallback ?? client.discoverFallback,
  };
}

/** Drops keys whose value is undefined, as `exactOptionalPropertyTypes` wants. */
function definedOnly(tenant: { [K in keyof TenantContext]?: TenantContext[K] | undefined }): TenantContext {
  const result: TenantContext = {};
  if (tenant.companyId !== undefined) result.companyId = tenant.companyId;
  if (tenant.userId !== undefined) result.userId = tenant.userId;
  if (tenant.subscriptionTier !== undefined) result.subscriptionTier = tenant.subscriptionTier;
  if (tenant.correlationId !== undefined) result.correlationId = tenant.correlationId;
  return result;
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, root = "options"): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const prefix = root === "options" ? "" : `${root}.`;
  throw new HubClientError(
    "INVALID_OPTIONS",
    parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? prefix + issue.path.join(".") : root}: ${issue.message}`)
      .join("; "),
  );
}
