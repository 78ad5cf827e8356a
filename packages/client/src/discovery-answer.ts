import type { DiscoverResponse } from "@hub/proto";
import { type DiscoveredInstance, type InstanceStatus, instanceFromEndpoint } from "./discovered-instance.js";
import { HubClientError } from "./hub-client-error.js";
import type { Selector } from "./selection.js";
import type { CachedService } from "./service-cache.js";

/** The answer to "where is service B?". */
export interface DiscoverResult {
  readonly serviceName: string;
  /** The instance to call: chosen among the healthy ones, else the best of the rest. */
  readonly recommended: DiscoveredInstance;
  /** Every visible instance, healthy first. */
  readonly instances: readonly DiscoveredInstance[];
  /** The healthy instances. */
  readonly healthy: readonly DiscoveredInstance[];
  /** False when no instance is healthy; `recommended` is then a best effort and `message` says why. */
  readonly healthyAvailable: boolean;
  /** 0..1: how sure the answer is that `recommended` serves (1 = healthy, checked). */
  readonly confidence: number;
  /** Empty when a healthy instance was found. */
  readonly message: string;
  /** `"cache"` (the watch's copy) or `"hub"` (a direct Discover RPC, before the first snapshot). */
  readonly source: "cache" | "hub";
  /** The cache revision the answer was read at; 0 for a direct answer. */
  readonly revision: bigint;
  /** How long ago the cache was last known to be current, in ms; 0 while the watch is connected and for direct answers. */
  readonly staleForMs: number;
}

/** How sure discovery is that an instance of each status serves; below 0.5 whenever it is not healthy (as the hub). */
const statusConfidence: Readonly<Record<InstanceStatus, number>> = {
  healthy: 1,
  degraded: 0.4,
  unknown: 0.3,
  unhealthy: 0.1,
};

/**
 * Answers from the cache exactly as the hub's discovery would: picks among healthy instances
 * with the strategy's selector; when none is healthy, says so and picks among the best status.
 * @internal
 */
export function answerFromCache(
  service: CachedService,
  selector: Selector,
  at: { readonly revision: bigint; readonly staleForMs: number },
): DiscoverResult {
  const { name, instances, healthy } = service;
  const common = { serviceName: name, instances, healthy, source: "cache", ...at } as const;
  if (healthy.length > 0) {
    const recommended = selector.select(name, healthy);
    return { ...common, recommended, healthyAvailable: true, confidence: 1, message: "" };
  }
  // `instances` is ordered best status first: recommend among the best status there is.
  const bestStatus = instances[0]!.status;
  const recommended = selector.select(
    name,
    instances.filter((instance) => instance.status === bestStatus),
  );
  return {
    ...common,
    recommended,
    healthyAvailable: false,
    confidence: statusConfidence[bestStatus],
    message: `no healthy instance of ${name}: recommending one that is ${bestStatus} (${recommended.statusMessage || "no detail"})`,
  };
}

/**
 * Turns the hub's answer to a direct Discover into a result.
 * @throws HubClientError NOT_FOUND when the hub recommended nothing (the service has no instance).
 * @internal
 */
export function answerFromHub(name: string, response: DiscoverResponse): DiscoverResult {
  if (response.recommended === undefined) {
    throw new HubClientError("NOT_FOUND", `service ${name} is not registered`);
  }
  const serviceName = response.serviceName || name;
  const instances = response.endpoints.map((endpoint) => instanceFromEndpoint(serviceName, endpoint));
  const recommendedId = response.recommended.instanceId;
  const recommended =
    instances.find((instance) => instance.id === recommendedId) ??
    instanceFromEndpoint(serviceName, response.recommended);
  return {
    serviceName,
    recommended,
    instances,
    healthy: instances.filter((instance) => instance.status === "healthy"),
    healthyAvailable: response.healthyAvailable,
    confidence: response.confidence,
    message: response.message,
    source: "hub",
    revision: 0n,
    staleForMs: 0,
  };
}
