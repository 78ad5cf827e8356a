import { type SubscriptionTier, subscriptionTiers } from "../auth/tenant-context.js";
import { invalidArgument } from "../errors/hub-error.js";

/** Which config document: the global one, a tier's defaults, or one tenant's overrides. */
export type ConfigScope =
  | { readonly kind: "global" }
  | { readonly kind: "tier"; readonly tier: SubscriptionTier }
  | { readonly kind: "tenant"; readonly tenantId: string };

/** The global scope (one shared value, since it carries no data). */
export const globalScope: ConfigScope = { kind: "global" };

/**
 * Tenant ids that name something else on the JSON paths: `/config/global` is the global document
 * and `/config/tiers/{tier}` a tier's defaults, so no tenant may be called "global" or "tiers".
 */
export const reservedTenantIds: readonly string[] = ["global", "tiers"];

const MAX_TENANT_ID_LENGTH = 128;
// The same rule as the x-company-id header, so any company a gateway asserts can have a config.
const PRINTABLE_ID = /^[\x21-\x7e]+$/;

/**
 * Checks a tenant id: 1-128 visible ASCII characters and not reserved.
 * @throws HubError INVALID_ARGUMENT naming `field`.
 */
export function parseTenantId(value: string, field = "tenant_id"): string {
  if (value.length === 0 || value.length > MAX_TENANT_ID_LENGTH || !PRINTABLE_ID.test(value)) {
    throw invalidArgument(field, `must be 1-${MAX_TENANT_ID_LENGTH} printable characters without spaces`);
  }
  if (reservedTenantIds.includes(value)) throw invalidArgument(field, `"${value}" is reserved`);
  return value;
}

/**
 * Reads a tier name (free, pro, enterprise; any case).
 * @throws HubError INVALID_ARGUMENT naming `field`.
 */
export function parseTier(value: unknown, field = "subscription_tier"): SubscriptionTier {
  const lower = typeof value === "string" ? value.toLowerCase() : undefined;
  const tier = subscriptionTiers.find((t) => t === lower);
  if (tier === undefined) throw invalidArgument(field, "must be free, pro or enterprise");
  return tier;
}

/** A stable text form of a scope, for keys, logs and messages: "global", "tiers/pro", "tenants/acme". */
export function scopePath(scope: ConfigScope): string {
  switch (scope.kind) {
    case "global":
      return "global";
    case "tier":
      return `tiers/${scope.tier}`;
    case "tenant":
      return `tenants/${scope.tenantId}`;
  }
}

/** The inverse of {@link scopePath}; undefined for anything else. */
export function scopeFromPath(path: string): ConfigScope | undefined {
  if (path === "global") return globalScope;
  if (path.startsWith("tiers/")) {
    const tier = subscriptionTiers.find((t) => t === path.slice("tiers/".length));
    return tier === undefined ? undefined : { kind: "tier", tier };
  }
  if (path.startsWith("tenants/") && path.length > "tenants/".length) {
    return { kind: "tenant", tenantId: path.slice("tenants/".length) };
  }
  return undefined;
}

/** How a scope reads in an error message: "the global config", "tier pro's defaults", "tenant acme". */
export function describeScope(scope: ConfigScope): string {
  switch (scope.kind) {
    case "global":
      return "the global config";
    case "tier":
      return `the ${scope.tier} tier's defaults`;
    case "tenant":
      return `tenant ${scope.tenantId}`;
  }
}
