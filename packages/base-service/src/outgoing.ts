import { currentTenant } from "./request-scope.js";
import { type TenantContext, tenantToHeaders } from "./tenant-context.js";

/**
 * The tenant headers to send on a call to another service (or the hub), so the next hop sees the
 * same company, user, tier and correlation id: those of the current request, or of `tenant`.
 * Empty outside a request.
 *
 * @example
 * await fetch(`${endpoint}/risk/validate`, { method: "POST", headers: { ...outgoingHeaders(), "content-type": "application/json" }, body });
 */
export function outgoingHeaders(
  tenant: Partial<TenantContext> | undefined = currentTenant(),
): Record<string, string> {
  return tenant === undefined ? {} : tenantToHeaders(tenant);
}

/**
 * Wraps a `fetch` so that every call carries {@link outgoingHeaders} of the request it is made in.
 * Headers the caller set itself win. `base` is read at call time, so a `fetch` replaced later (tests) is used.
 */
export function createTenantFetch(base?: typeof globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const tenantHeaders = outgoingHeaders();
    const baseFetch = base ?? globalThis.fetch;
    if (Object.keys(tenantHeaders).length === 0) return baseFetch(input, init);
    // init.headers replaces a Request's own headers in fetch, so start from whichever fetch would use.
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of Object.entries(tenantHeaders)) {
      if (!headers.has(name)) headers.set(name, value);
    }
    return baseFetch(input, { ...init, headers });
  };
}

/** `globalThis.fetch` that forwards the current request's tenant headers (see {@link createTenantFetch}). */
export const tenantFetch: typeof globalThis.fetch = createTenantFetch();
