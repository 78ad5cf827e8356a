import type { TenantContext } from "./options.js";

/**
 * The request headers that carry a tenant context; fields that are not set are not sent.
 * @internal
 */
export function tenantHeaders(tenant: TenantContext): Record<string, string> {
  const headers: Record<string, string> = {};
  if (tenant.companyId !== undefined) headers["x-company-id"] = tenant.companyId;
  if (tenant.userId !== undefined) headers["x-user-id"] = tenant.userId;
  if (tenant.subscriptionTier !== undefined) headers["x-subscription-tier"] = tenant.subscriptionTier;
  if (tenant.correlationId !== undefined) headers["x-correlation-id"] = tenant.correlationId;
  return headers;
}
