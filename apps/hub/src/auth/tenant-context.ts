import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { invalidArgument } from "../errors/hub-error.js";

/** Subscription tiers, lowest first. */
export const subscriptionTiers = ["free", "pro", "enterprise"] as const;
/** A tenant's subscription tier; it decides which services a caller may discover. */
export type SubscriptionTier = (typeof subscriptionTiers)[number];

/** Every value {@link TenantHeaderTrust} can take, for config validation. */
export const tenantHeaderTrustPolicies = ["loopback", "always", "never"] as const;
/**
 * Who may assert tenant headers: "loopback" trusts only callers on this machine (the development
 * default and the sidecar-gateway setup), "always" trusts everyone (the hub sits behind a gateway
 * that strips and re-sets these headers), "never" trusts no one.
 */
export type TenantHeaderTrust = (typeof tenantHeaderTrustPolicies)[number];

/** Who the hub serves a request for. Built only by a {@link TenantContextResolver}. */
export interface TenantContext {
  readonly companyId?: string;
  readonly userId?: string;
  readonly tier?: SubscriptionTier;
  /** From `x-correlation-id` when it is a sane token, else a fresh UUID; echoed on every response. */
  readonly correlationId: string;
  /** The policy lets this caller assert tenant headers (so any tenant fields came from them). */
  readonly trusted: boolean;
  /**
   * The caller sent no tenant headers at all (an existing service that predates tenancy).
   * `!trusted && !legacy` means tenant headers were sent and ignored: the caller gets tier free.
   */
  readonly legacy: boolean;
}

/** Request headers as Node (http or http2) or the fetch API present them. */
export type RequestHeaders =
  | IncomingHttpHeaders
  | Headers
  | Readonly<Record<string, string | string[] | undefined>>;

/** The network peer of a request; `remoteAddress` is undefined once the socket is gone. */
export interface CallerPeer {
  readonly remoteAddress: string | undefined;
}

/** What a resolver may look at. */
export interface CallerRequest {
  readonly headers: RequestHeaders;
  readonly peer: CallerPeer;
}

/**
 * Decides who a request is for. Handlers depend on this interface only, so authentication
 * (bearer tokens, signed JWTs carrying the tenant) can be added as another implementation
 * without touching them. Rejects with HubError INVALID_ARGUMENT / UNAUTHENTICATED.
 */
export interface TenantContextResolver {
  resolve(request: CallerRequest): Promise<TenantContext>;
  /**
   * The same decision without a promise, for resolvers that need no I/O (headers only); the
   * request path uses it when present and saves an async hop per request.
   * @throws like {@link TenantContextResolver.resolve} rejects.
   */
  resolveNow?(request: CallerRequest): TenantContext;
}

/** A resolver that reads tenant headers under `policy`; see {@link resolveTenantContext}. */
export function createHeaderTenantContextResolver(policy: TenantHeaderTrust): TenantContextResolver {
  return {
    resolve: async (request) => resolveTenantContext(request.headers, request.peer, policy),
    resolveNow: (request) => resolveTenantContext(request.headers, request.peer, policy),
  };
}

const MAX_ID_LENGTH = 128;
// Visible ASCII only: no spaces, controls or non-ASCII, so ids are safe in keys, logs and headers.
const PRINTABLE_ID = /^[\x21-\x7e]+$/;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the tenant context of a request. Tenant headers (`x-company-id`, `x-user-id`,
 * `x-subscription-tier`) count only when `policy` trusts the peer; an untrusted caller that sends
 * them gets the most restrictive view (tier free, no company, not legacy), so setting a header
 * never gains a higher tier or another tenant's data. A caller that sends none is `legacy`.
 *
 * @throws HubError INVALID_ARGUMENT when a trusted caller sends a malformed tenant header.
 * @example
 *   const ctx = resolveTenantContext(req.headers, req.socket, config.trustTenantHeaders);
 */
export function resolveTenantContext(
  headers: RequestHeaders,
  peer: CallerPeer,
  policy: TenantHeaderTrust,
): TenantContext {
  const { correlation, company, user, tier } = readTenantHeaders(headers);
  const correlationId = correlationIdFrom(correlation);
  if (company === undefined && user === undefined && tier === undefined) {
    return { correlationId, trusted: isTrusted(peer, policy), legacy: true };
  }
  if (!isTrusted(peer, policy)) {
    return { tier: "free", correlationId, trusted: false, legacy: false };
  }
  const context: { -readonly [K in keyof TenantContext]: TenantContext[K] } = {
    correlationId,
    trusted: true,
    legacy: false,
  };
  if (company !== undefined) context.companyId = tenantId("x-company-id", company);
  if (user !== undefined) context.userId = tenantId("x-user-id", user);
  if (tier !== undefined) context.tier = subscriptionTier(tier);
  return context;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x (how a dual-stack socket reports 127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const ip = address.toLowerCase();
  if (ip === "::1" || ip === "0:0:0:0:0:0:0:1") return true;
  const v4 = ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function isTrusted(peer: CallerPeer, policy: TenantHeaderTrust): boolean {
  switch (policy) {
    case "always":
      return true;
    case "never":
      return false;
    case "loopback":
      return isLoopbackAddress(peer.remoteAddress);
  }
}

type HeaderValue = string | string[] | undefined;

/** The tenant headers of a request, each undefined when absent or blank. Arrays mean the header was repeated. */
interface TenantHeaders {
  correlation: HeaderValue;
  company: HeaderValue;
  user: HeaderValue;
  tier: HeaderValue;
}

const tenantHeaderFields: Readonly<Record<string, keyof TenantHeaders>> = {
  "x-correlation-id": "correlation",
  "x-company-id": "company",
  "x-user-id": "user",
  "x-subscription-tier": "tier",
};

/**
 * Reads the four tenant headers in one pass over the request's header names. Node gives names in
 * lower case; hand-built records (tests, adapters) may not, so other cases count too, after the
 * exact lower-case name. (Looking each name up and falling back to a case-insensitive search
 * cost four Object.keys() per request, on every request that sends none of them.)
 */
function readTenantHeaders(headers: RequestHeaders): TenantHeaders {
  const found: TenantHeaders = {
    correlation: undefined,
    company: undefined,
    user: undefined,
    tier: undefined,
  };
  if (isFetchHeaders(headers)) {
    for (const [name, field] of Object.entries(tenantHeaderFields))
      found[field] = normalize(headers.get(name));
    return found;
  }
  for (const name in headers) {
    // Every tenant header starts with "x-"; most request headers do not.
    if (name.length < 9 || (name.charCodeAt(0) | 0x20) !== 0x78 || name.charCodeAt(1) !== 0x2d) continue;
    const lower = name.toLowerCase();
    const field = tenantHeaderFields[lower];
    if (field === undefined || (lower !== name && found[field] !== undefined)) continue;
    found[field] = normalize(headers[name]);
  }
  return found;
}

function normalize(value: string | string[] | null | undefined): HeaderValue {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 1 ? blankToUndefined(value[0]) : value;
  return blankToUndefined(value);
}

/** Whether request headers come as the fetch API's Headers (Connect handlers) rather than Node's record. */
export function isFetchHeaders(headers: RequestHeaders): headers is Headers {
  return typeof (headers as Partial<Headers>).get === "function";
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/**
 * The request's correlation id: its `x-correlation-id` when that is a sane token, else a new
 * UUID. Exposed so a request whose tenant headers are refused still echoes the caller's id.
 */
export function correlationIdOf(headers: RequestHeaders): string {
  return correlationIdFrom(readTenantHeaders(headers).correlation);
}

function correlationIdFrom(value: string | string[] | undefined): string {
  return typeof value === "string" && CORRELATION_ID.test(value) ? value : randomUUID();
}

function tenantId(header: string, value: string | string[]): string {
  if (typeof value === "string" && value.length <= MAX_ID_LENGTH && PRINTABLE_ID.test(value)) return value;
  throw invalidArgument(header, `must be 1-${MAX_ID_LENGTH} printable characters without spaces`);
}

function subscriptionTier(value: string | string[]): SubscriptionTier {
  const tier = typeof value === "string" ? value.toLowerCase() : undefined;
  const known = subscriptionTiers.find((t) => t === tier);
  if (known !== undefined) return known;
  throw invalidArgument("x-subscription-tier", "must be free, pro or enterprise");
}
