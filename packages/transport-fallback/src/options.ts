import type { Interceptor, Transport } from "@connectrpc/connect";
import { z } from "zod";
import { type Clock, systemClock } from "./clock.js";
import type { TransportFallbackEvent } from "./events.js";
import { invalidOptions } from "./transport-fallback-error.js";

/** Names of the transports the manager builds itself from `baseUrl`, in their default order. */
export const builtinTransportNames = ["http_protobuf", "http2_streaming", "http_json"] as const;

/**
 * A transport the manager builds from `baseUrl`:
 * - `http_protobuf`: the Connect protocol, binary Protobuf, over HTTP/1.1;
 * - `http2_streaming`: gRPC over HTTP/2 (cleartext for `http:`, TLS for `https:`);
 * - `http_json`: the Connect protocol, JSON, over HTTP/1.1.
 */
export type BuiltinTransportName = (typeof builtinTransportNames)[number];

/** Options of each transport's circuit breaker. Every field is optional. */
export interface CircuitBreakerOptions {
  /** Length of the sliding window over which the failure rate is measured, in ms; the window advances in tenths. Default: 10000. */
  windowMs?: number;
  /** Fewest calls in the window before the failure rate may open the breaker. Default: 5. */
  minimumCalls?: number;
  /** Failure rate (failures / calls in the window, above 0 and at most 1) that opens the breaker. Default: 0.5. */
  failureRateThreshold?: number;
  /** How long an open breaker rejects calls before it lets probes through (half-open), in ms. Default: 10000. */
  cooldownMs?: number;
  /** Most probe calls in flight while half-open; one success closes the breaker, one failure re-opens it. Default: 1. */
  halfOpenMaxCalls?: number;
}

/** Options of `createTransportFallbackManager`. Every field is optional, but `baseUrl` or `transports` must be given. */
export interface TransportFallbackOptions {
  /** Base URL of the service (`http:` or `https:`); the manager builds the three built-in transports for it. Default: none. */
  baseUrl?: string;
  /** Your own named transports. A name equal to a built-in one replaces it. Default: none. */
  transports?: Readonly<Record<string, Transport>>;
  /**
   * Names of the transports to try, in order. Default: the built-in ones (when `baseUrl` is set),
   * `http_protobuf`, `http2_streaming`, `http_json`, followed by your own in insertion order.
   */
  order?: readonly string[];
  /** Interceptors for the built-in transports (your own transports keep theirs). Default: none. */
  interceptors?: readonly Interceptor[];
  /** Each transport's circuit breaker. Default: see {@link CircuitBreakerOptions}. */
  breaker?: CircuitBreakerOptions;
  /** Try the transport that last worked first, before the configured order. Default: true. */
  sticky?: boolean;
  /** Cap on each attempt's share of the deadline, in ms, so a hanging transport leaves time for the next. Default: none. */
  attemptTimeoutMs?: number;
  /** Deadline of a call that sets no `timeoutMs` of its own, shared by all its attempts, in ms. Default: none. */
  defaultTimeoutMs?: number;
  /** Time source for breakers and deadlines. Default: `Date.now()`. */
  clock?: Clock;
  /** Called for each attempt, success, failure, fallback and breaker state change; exceptions it throws are ignored. Default: none. */
  onEvent?: (event: TransportFallbackEvent) => void;
}

/** {@link CircuitBreakerOptions} with every default applied. @internal */
export interface ResolvedCircuitBreakerOptions {
  readonly windowMs: number;
  readonly minimumCalls: number;
  readonly failureRateThreshold: number;
  readonly cooldownMs: number;
  readonly halfOpenMaxCalls: number;
}

/** {@link TransportFallbackOptions} with every default applied and cross-field rules checked. @internal */
export interface ResolvedTransportFallbackOptions {
  readonly baseUrl: string | null;
  readonly transports: Readonly<Record<string, Transport>>;
  readonly order: readonly string[];
  readonly interceptors: readonly Interceptor[];
  readonly breaker: ResolvedCircuitBreakerOptions;
  readonly sticky: boolean;
  readonly attemptTimeoutMs: number | null;
  readonly defaultTimeoutMs: number | null;
  readonly clock: Clock;
  readonly onEvent: ((event: TransportFallbackEvent) => void) | null;
}

/** The defaults, in one place. */
export const defaultTransportFallbackOptions = {
  breaker: {
    windowMs: 10_000,
    minimumCalls: 5,
    failureRateThreshold: 0.5,
    cooldownMs: 10_000,
    halfOpenMaxCalls: 1,
  },
  sticky: true,
  clock: systemClock,
} as const satisfies Pick<ResolvedTransportFallbackOptions, "breaker" | "sticky" | "clock">;

const d = defaultTransportFallbackOptions;

const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === "object" &&
  value !== null &&
  names.every((name) => typeof Reflect.get(value, name) === "function");

const transportSchema = z.custom<Transport>((value) => hasMethods(value, ["unary", "stream"]), {
  message: "must be a Connect Transport (with unary() and stream())",
});
const interceptorSchema = z.custom<Interceptor>((value) => typeof value === "function", {
  message: "must be an interceptor function",
});
const clockSchema = z.custom<Clock>((value) => hasMethods(value, ["now"]), {
  message: "must be an object with a now() method",
});
const onEventSchema = z.custom<(event: TransportFallbackEvent) => void>(
  (value) => typeof value === "function",
  {
    message: "must be a function",
  },
);
const milliseconds = z.int().min(1).max(2_147_483_647);

const breakerSchema = z.strictObject({
  windowMs: milliseconds.default(d.breaker.windowMs),
  minimumCalls: z.int().min(1).default(d.breaker.minimumCalls),
  failureRateThreshold: z.number().gt(0).max(1).default(d.breaker.failureRateThreshold),
  cooldownMs: milliseconds.default(d.breaker.cooldownMs),
  halfOpenMaxCalls: z.int().min(1).default(d.breaker.halfOpenMaxCalls),
});

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol), {
    message: "must be an http: or https: URL",
  });

const optionsSchema = z.strictObject({
  baseUrl: httpUrl.optional(),
  transports: z.record(z.string().min(1), transportSchema).default({}),
  order: z.array(z.string().min(1)).min(1).optional(),
  interceptors: z.array(interceptorSchema).default([]),
  breaker: breakerSchema.prefault({}),
  sticky: z.boolean().default(d.sticky),
  attemptTimeoutMs: milliseconds.optional(),
  defaultTimeoutMs: milliseconds.optional(),
  clock: clockSchema.default(d.clock),
  onEvent: onEventSchema.optional(),
});

/**
 * Validates the manager's options, applies the defaults and works out the transport order.
 * @throws TransportFallbackError INVALID_OPTIONS naming each bad field, e.g. `order.1: unknown transport "grpc"`.
 * @internal
 */
export function resolveTransportFallbackOptions(input: unknown): ResolvedTransportFallbackOptions {
  const options = parseOrThrow(optionsSchema, input ?? {});
  const baseUrl = options.baseUrl ?? null;
  const available = [...(baseUrl === null ? [] : builtinTransportNames), ...Object.keys(options.transports)];
  const availableNames = [...new Set(available)];
  if (availableNames.length === 0) {
    throw invalidOptions("options: set baseUrl or transports, so there is at least one transport");
  }
  const order = options.order ?? availableNames;
  const problems = order.flatMap((name, index) => {
    if (!availableNames.includes(name)) {
      const hint = builtinTransportNames.some((b) => b === name) ? " (built-in transports need baseUrl)" : "";
      return [`order.${index}: unknown transport "${name}"${hint}`];
    }
    return order.indexOf(name) === index ? [] : [`order.${index}: "${name}" is listed twice`];
  });
  if (problems.length > 0) throw invalidOptions(problems.join("; "));
  return {
    baseUrl,
    transports: options.transports,
    order,
    interceptors: options.interceptors,
    breaker: options.breaker,
    sticky: options.sticky,
    attemptTimeoutMs: options.attemptTimeoutMs ?? null,
    defaultTimeoutMs: options.defaultTimeoutMs ?? null,
    clock: options.clock,
    onEvent: options.onEvent ?? null,
  };
}

/** Per-call options of `manager.execute(fn, options)`. Every field is optional. */
export interface ExecuteOptions {
  /** Whether `fn` may run again after a transport failure that may have reached the server. Default: false. */
  idempotent?: boolean;
  /** Cancels the call; handed to every attempt in `callOptions.signal`. Default: none. */
  signal?: AbortSignal;
  /** The call's deadline in ms, shared by all attempts. Default: the manager's `defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Name of the call in events and errors. Default: "execute". */
  label?: string;
}

/** {@link ExecuteOptions} with every default applied. @internal */
export interface ResolvedExecuteOptions {
  readonly idempotent: boolean;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
  readonly label: string;
}

const executeSchema = z.strictObject({
  idempotent: z.boolean().default(false),
  signal: z.instanceof(AbortSignal).optional(),
  timeoutMs: milliseconds.optional(),
  label: z.string().min(1).default("execute"),
});

/**
 * Validates `execute`'s options and applies the defaults.
 * @throws TransportFallbackError INVALID_OPTIONS naming each bad field.
 * @internal
 */
export function resolveExecuteOptions(input: ExecuteOptions | undefined): ResolvedExecuteOptions {
  const options = parseOrThrow(executeSchema, input ?? {});
  return { ...options, signal: options.signal, timeoutMs: options.timeoutMs };
}

/**
 * The deadline of a call: its own `timeoutMs`, else the manager's `defaultTimeoutMs`.
 * @internal
 */
export function callTimeoutMs(
  options: ResolvedTransportFallbackOptions,
  timeoutMs: number | undefined,
): number | undefined {
  return timeoutMs ?? options.defaultTimeoutMs ?? undefined;
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidOptions(
    parsed.error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`).join("; "),
  );
}
