import { type Audience, visibleTo } from "../discovery/audience.js";
import type { Instance, InstanceStatus, Tier } from "../registry/instance.js";
import type { ServiceEntry } from "../registry/registry-view.js";

/** One service as list and get endpoints show it: its visible instances and overall status. */
export interface ServiceSummary {
  readonly name: string;
  readonly instances: readonly Instance[];
  readonly healthyCount: number;
  /** healthy when every instance is, unhealthy when none is healthy or degraded, else degraded. */
  readonly status: InstanceStatus;
  readonly subscriptionRequirements: readonly Tier[];
}

/** Summarises the part of a service the audience may see; undefined when it sees none of it. */
export function summarizeService(entry: ServiceEntry, audience: Audience): ServiceSummary | undefined {
  const instances = visibleTo(audience, entry.ordered);
  if (instances.length === 0) return undefined;
  const healthyCount = instances.filter((i) => i.status === "healthy").length;
  const usable = instances.filter((i) => i.status === "healthy" || i.status === "degraded").length;
  const status: InstanceStatus =
    healthyCount === instances.length
      ? "healthy"
      : usable > 0
        ? "degraded"
        : instances.every((i) => i.status === "unknown")
          ? "unknown"
          : "unhealthy";
  const requirements = new Set<Tier>();
  for (const instance of instances)
    for (const tier of instance.record.subscriptionRequirements) requirements.add(tier);
  return { name: entry.name, instances, healthyCount, status, subscriptionRequirements: [...requirements] };
}
