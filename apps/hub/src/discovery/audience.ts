import type { Instance, Tier } from "../registry/instance.js";

/**
 * Whose view of the registry a request gets: everything (legacy callers without tenant
 * context), or what one subscription tier may see.
 */
export type Audience = { readonly kind: "all" } | { readonly kind: "tier"; readonly tier: Tier };

export const everyone: Audience = { kind: "all" };

const tierLevel: Record<Tier, number> = { free: 0, pro: 1, enterprise: 2 };

/**
 * An instance with no subscription requirements is public; otherwise the caller's tier must
 * reach the lowest tier it lists (["pro", "enterprise"] admits pro and enterprise).
 */
export function tierAdmits(requirements: readonly Tier[], tier: Tier): boolean {
  if (requirements.length === 0) return true;
  let lowest = Number.POSITIVE_INFINITY;
  for (const required of requirements) lowest = Math.min(lowest, tierLevel[required]);
  return tierLevel[tier] >= lowest;
}

export function canSee(audience: Audience, instance: Instance): boolean {
  return audience.kind === "all" || tierAdmits(instance.record.subscriptionRequirements, audience.tier);
}

/** The instances of a list the audience may see; the list itself when it sees all of them. */
export function visibleTo(audience: Audience, instances: readonly Instance[]): readonly Instance[] {
  if (audience.kind === "all") return instances;
  let allVisible = true;
  for (const instance of instances) {
    if (!canSee(audience, instance)) {
      allVisible = false;
      break;
    }
  }
  return allVisible ? instances : instances.filter((i) => canSee(audience, i));
}
