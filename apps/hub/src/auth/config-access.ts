import { HubError } from "../errors/hub-error.js";
import type { TenantContext } from "./tenant-context.js";

/**
 * Whether `caller` may read tenant `tenantId`'s config. Tenant config is private to the tenant:
 * - an untrusted caller may read none (its tenant headers are ignored, so it is nobody's tenant);
 * - a trusted caller that asserts a company (`x-company-id`) may read that company's only;
 * - a trusted caller that asserts none (a gateway or an admin tool) may read any.
 * The global config and tier defaults are public and need no check.
 *
 * @throws HubError PERMISSION_DENIED.
 */
export function authorizeTenantConfigRead(caller: TenantContext, tenantId: string): void {
  if (!caller.trusted) {
    throw new HubError(
      "PERMISSION_DENIED",
      `tenant_id: reading tenant ${tenantId}'s config needs a caller trusted to assert tenant headers`,
      { details: { field: "tenant_id" } },
    );
  }
  if (caller.companyId !== undefined && caller.companyId !== tenantId) {
    throw new HubError(
      "PERMISSION_DENIED",
      `tenant_id: a caller for company ${caller.companyId} may not read tenant ${tenantId}'s config`,
      { details: { field: "tenant_id" } },
    );
  }
}
