/**
 * Who is calling and for which tenant. Handlers ask a {@link TenantContextResolver}; nothing else
 * reads tenant headers.
 */

export type {
  CallerPeer,
  CallerRequest,
  RequestHeaders,
  SubscriptionTier,
  TenantContext,
  TenantContextResolver,
  TenantHeaderTrust,
} from "./tenant-context.js";
export {
  correlationIdOf,
  createHeaderTenantContextResolver,
  isLoopbackAddress,
  resolveTenantContext,
  subscriptionTiers,
  tenantHeaderTrustPolicies,
} from "./tenant-context.js";
export { type AdminAccess, createAdminAccess } from "./admin-access.js";
export { authorizeTenantConfigRead } from "./config-access.js";
