import type { MessageInitShape } from "@bufbuild/protobuf";
import { type ConfigScopeSchema, SubscriptionTier as ProtoTier } from "@hub/proto";
import { HubClientError } from "./hub-client-error.js";
import type { SubscriptionTier } from "./options.js";

/**
 * Which config to read or watch: the hub's global document, one tier's defaults, or one tenant's
 * effective config (its tier's defaults with its overrides applied).
 */
export type ConfigScope =
  | { readonly global: true }
  | { readonly tier: SubscriptionTier }
  | { readonly tenant: string };

/** A config value as the hub sent it. */
export interface ConfigValue {
  /** Grows with every change; 0 for a document never written (the built-in tier defaults, the empty global one). */
  readonly version: bigint;
  /** The JSON object. */
  readonly config: Record<string, unknown>;
  /** For a tenant scope: the tenant's tier. */
  readonly subscriptionTier: SubscriptionTier | undefined;
}

const tierToProto: Readonly<Record<SubscriptionTier, ProtoTier>> = {
  free: ProtoTier.FREE,
  pro: ProtoTier.PRO,
  enterprise: ProtoTier.ENTERPRISE,
};

/** @internal */
export function tierFromProto(tier: ProtoTier): SubscriptionTier | undefined {
  return (Object.keys(tierToProto) as SubscriptionTier[]).find((t) => tierToProto[t] === tier);
}

/**
 * The wire form of a scope.
 * @throws HubClientError INVALID_OPTIONS for a scope that names none of global, tier or tenant.
 * @internal
 */
export function scopeToProto(scope: ConfigScope): MessageInitShape<typeof ConfigScopeSchema> {
  if ("global" in scope && scope.global === true) return { kind: { case: "global", value: true } };
  if ("tier" in scope && Object.hasOwn(tierToProto, scope.tier)) {
    return { kind: { case: "tier", value: tierToProto[scope.tier] } };
  }
  if ("tenant" in scope && typeof scope.tenant === "string" && scope.tenant !== "") {
    return { kind: { case: "tenantId", value: scope.tenant } };
  }
  throw new HubClientError(
    "INVALID_OPTIONS",
    'scope: must be { global: true }, { tier: "free" | "pro" | "enterprise" } or { tenant: "<id>" }',
  );
}

/** A readable name for a scope, for messages: "global", "tier pro", "tenant acme". @internal */
export function describeConfigScope(scope: ConfigScope): string {
  if ("tenant" in scope) return `tenant ${scope.tenant}`;
  if ("tier" in scope) return `tier ${scope.tier}`;
  return "global";
}
