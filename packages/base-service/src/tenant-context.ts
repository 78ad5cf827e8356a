import { randomUUID } from "node:crypto";
import type { SubscriptionTier } from "@hub/client";
import { hasControlCharacters } from "./header-sanitizer.js";
import { ServiceError } from "./service-error.js";

/** The tiers, ascending; the same as `@hub/client`'s `SubscriptionTier`. */
export const subscriptionTiers = ["free", "pro", "enterprise"] as const satisfies readonly SubscriptionTier[];

/**
 * Who a request is for, read from `x-company-id`, `x-user-id`, `x-subscription-tier` and
 * `x-correlation-id`. Structurally a `@hub/client` `TenantContext`, so it can be passed to `discover`.
 */
export interface TenantContext {
  /** From `x-company-id`; absent when the request had none. */
  readonly companyId?: string;
  /** From `x-user-id`; absent when the request had none. */
  readonly userId?: string;
  /** From `x-subscription-tier` (case-insensitive on the way in, lower-case here). */
  readonly subscriptionTier?: SubscriptionTier;
  /** From `x-correlation-id`, or a new UUID when the request had none or not a sane one. Always set. */
  readonly correlationId: string;
}

/** The header of each {@link TenantContext} field. */
export const tenantHeaderNames = {
  companyId: "x-company-id",
  userId: "x-user-id",
  subscriptionTier: "x-subscription-tier",
  correlationId: "x-correlation-id",
} as const satisfies Record<keyof TenantContext, string>;

/** Options of {@link parseTenantHeaders}. */
export interface ParseTenantOptions {
  /** Longest `x-company-id` / `x-user-id` accepted, in characters. Default: 256. */
  maxLength?: number;
  /** Makes a correlation id when the request has none. Default: `crypto.randomUUID`. */
  newCorrelationId?: () => string;
}

/** Request headers as Node gives them: `headers` (joined) or `headersDistinct` (one array per name). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

// What the hub accepts as a correlation id too (API.md): anything else is replaced, never echoed.
const saneCorrelationId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Reads the tenant headers of a request into a validated {@link TenantContext}. Ids are trimmed;
 * an empty header counts as absent. Pass `request.headersDistinct` so that a header sent twice with
 * different values is caught: which of two companies a request is for must never be a guess.
 *
 * @throws ServiceError INVALID_ARGUMENT (400) for an unknown tier, an id that is too long or holds
 *   control characters, or a tenant header repeated with different values.
 */
export function parseTenantHeaders(headers: RequestHeaders, options: ParseTenantOptions = {}): TenantContext {
  const maxLength = options.maxLength ?? 256;
  const companyId = identifier(headers, tenantHeaderNames.companyId, maxLength);
  const userId = identifier(headers, tenantHeaderNames.userId, maxLength);
  const tier = single(headers, tenantHeaderNames.subscriptionTier);
  const context: { -readonly [K in keyof TenantContext]: TenantContext[K] } = {
    correlationId: readCorrelationId(headers, options.newCorrelationId),
  };
  if (companyId !== undefined) context.companyId = companyId;
  if (userId !== undefined) context.userId = userId;
  if (tier !== undefined) context.subscriptionTier = parseTier(tier);
  return context;
}

/**
 * The request's `x-correlation-id` when it is a sane token (1-128 of `A-Z a-z 0-9 . _ : -`), else a
 * new one: a value that is not sane is replaced, never echoed into headers and logs.
 */
export function readCorrelationId(
  headers: RequestHeaders,
  newCorrelationId: () => string = randomUUID,
): string {
  const value = firstValue(headers[tenantHeaderNames.correlationId])?.trim();
  return value !== undefined && saneCorrelationId.test(value) ? value : newCorrelationId();
}

/**
 * Reads a subscription tier, case-insensitively.
 * @throws ServiceError INVALID_ARGUMENT naming the accepted tiers.
 */
export function parseTier(value: string): SubscriptionTier {
  const tier = subscriptionTiers.find((candidate) => candidate === value.toLowerCase());
  if (tier === undefined) {
    const shown = JSON.stringify(value.slice(0, 64));
    throw invalid(tenantHeaderNames.subscriptionTier, `must be free, pro or enterprise, not ${shown}`);
  }
  return tier;
}

/** The headers that carry `tenant` to the next service; fields that are absent are not sent. */
export function tenantToHeaders(tenant: Partial<TenantContext>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of Object.keys(tenantHeaderNames) as (keyof TenantContext)[]) {
    const value = tenant[field];
    if (value !== undefined) headers[tenantHeaderNames[field]] = value;
  }
  return headers;
}

function identifier(headers: RequestHeaders, name: string, maxLength: number): string | undefined {
  const value = single(headers, name);
  if (value === undefined) return undefined;
  if (hasControlCharacters(value)) throw invalid(name, "must not contain control characters");
  if (value.length > maxLength) throw invalid(name, `must be at most ${maxLength} characters`);
  return value;
}

/** The one trimmed value of a header, undefined when absent or empty. */
function single(headers: RequestHeaders, name: string): string | undefined {
  const raw = headers[name];
  const values = (typeof raw === "string" ? [raw] : (raw ?? [])).map((value) => value.trim()).filter(Boolean);
  if (new Set(values).size > 1) throw invalid(name, "was sent more than once with different values");
  return values[0];
}

function firstValue(raw: string | readonly string[] | undefined): string | undefined {
  return typeof raw === "string" ? raw : raw?.[0];
}

function invalid(header: string, reason: string): ServiceError {
  return new ServiceError("INVALID_ARGUMENT", `${header}: ${reason}`, { details: { header, reason } });
}
