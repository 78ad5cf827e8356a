import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type ConfigDocument as ProtoDocument,
  ConfigDocumentSchema,
  type ConfigScope as ProtoScope,
  type ConfigScopeSchema,
  SubscriptionTier as ProtoTier,
  type TenantConfig as ProtoTenantConfig,
  TenantConfigSchema,
} from "@hub/proto";
import type { SubscriptionTier } from "../../auth/tenant-context.js";
import type { ConfigDocument, ConfigScope, TenantConfig } from "../../config/index.js";
import { parseTenantId } from "../../config/index.js";
import { invalidArgument } from "../../errors/hub-error.js";

const tierToProto: Readonly<Record<SubscriptionTier, ProtoTier>> = {
  free: ProtoTier.FREE,
  pro: ProtoTier.PRO,
  enterprise: ProtoTier.ENTERPRISE,
};

/**
 * A tier from the wire; undefined for UNSPECIFIED.
 * @throws HubError INVALID_ARGUMENT for a value outside the enum.
 */
export function tierFromProto(tier: ProtoTier, field: string): SubscriptionTier | undefined {
  if (tier === ProtoTier.UNSPECIFIED) return undefined;
  const found = (Object.keys(tierToProto) as SubscriptionTier[]).find((t) => tierToProto[t] === tier);
  if (found === undefined) throw invalidArgument(field, `unknown subscription tier ${tier}`);
  return found;
}

/**
 * A scope from the wire.
 * @throws HubError INVALID_ARGUMENT when none is set, or for a bad tenant id or tier.
 */
export function scopeFromProto(scope: ProtoScope | undefined, field = "scope"): ConfigScope {
  const kind = scope?.kind;
  switch (kind?.case) {
    case "global":
      return { kind: "global" };
    case "tier": {
      const tier = tierFromProto(kind.value, `${field}.tier`);
      if (tier === undefined) throw invalidArgument(`${field}.tier`, "must be free, pro or enterprise");
      return { kind: "tier", tier };
    }
    case "tenantId":
      return { kind: "tenant", tenantId: parseTenantId(kind.value, `${field}.tenant_id`) };
    default:
      throw invalidArgument(field, "must name global, a tier or a tenant_id");
  }
}

export function scopeToProto(scope: ConfigScope): MessageInitShape<typeof ConfigScopeSchema> {
  switch (scope.kind) {
    case "global":
      return { kind: { case: "global", value: true } };
    case "tier":
      return { kind: { case: "tier", value: tierToProto[scope.tier] } };
    case "tenant":
      return { kind: { case: "tenantId", value: scope.tenantId } };
  }
}

export function documentToProto(document: ConfigDocument): ProtoDocument {
  return create(ConfigDocumentSchema, {
    scope: scopeToProto(document.scope),
    config: document.config as ProtoDocument["config"],
    subscriptionTier:
      document.subscriptionTier === undefined
        ? ProtoTier.UNSPECIFIED
        : tierToProto[document.subscriptionTier],
    version: BigInt(document.version),
    ...(document.updatedAt === undefined ? {} : { updatedAt: timestampFromMs(document.updatedAt) }),
  });
}

export function tenantConfigToProto(value: TenantConfig): ProtoTenantConfig {
  return create(TenantConfigSchema, {
    tenantId: value.tenantId,
    subscriptionTier: tierToProto[value.subscriptionTier],
    config: value.config as ProtoTenantConfig["config"],
    version: BigInt(value.version),
  });
}
