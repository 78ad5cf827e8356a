import type { IncomingHttpHeaders } from "node:http";

/** The tenant headers the platform forwards on every hop (see SEED.md "Tenant Context Headers"). */
export const TENANT_HEADERS = [
  "x-company-id",
  "x-user-id",
  "x-subscription-tier",
  "x-correlation-id",
] as const;

/** One of {@link TENANT_HEADERS}. */
export type TenantHeader = (typeof TENANT_HEADERS)[number];

/** The tenant headers a request carried; absent headers are absent keys. */
export type TenantContext = Partial<Record<TenantHeader, string>>;

/** Picks the tenant headers out of an incoming request, ignoring everything else. */
export function readTenantContext(headers: IncomingHttpHeaders): TenantContext {
  const context: TenantContext = {};
  for (const name of TENANT_HEADERS) {
    const value = headers[name];
    // Node joins repeated headers into an array; the first value is the one a proxy set.
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") context[name] = first;
  }
  return context;
}

/** The headers to send downstream so the next service (and the hub) sees the same tenant. */
export function tenantHeaders(context: TenantContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of TENANT_HEADERS) {
    const value = context[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}
