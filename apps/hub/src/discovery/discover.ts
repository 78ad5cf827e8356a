import { HubError } from "../errors/hub-error.js";
import type { Instance, InstanceStatus } from "../registry/instance.js";
import type { RegistryView } from "../registry/registry-view.js";
import { type Audience, visibleTo } from "./audience.js";
import { createSelectors, type SelectionStrategy, type Selector } from "@hub/client";

/** The answer to "where is service B?". */
export interface DiscoveryResult {
  readonly serviceName: string;
  readonly recommended: Instance | undefined;
  readonly healthy: readonly Instance[];
  /** Every visible instance, healthy first. */
  readonly instances: readonly Instance[];
  readonly confidence: number;
  readonly healthyAvailable: boolean;
  readonly message: string;
  /**
   * Equal for two results exactly when everything in them is equal (same service state, same
   * audience, same recommendation), so encoded answers can be cached under it.
   */
  readonly cacheKey: string;
}

export interface DiscoveryOptions {
  readonly defaultStrategy?: SelectionStrategy;
  /** Source of randomness for least-load selection; injectable for exact tests. */
  readonly random?: () => number;
}

/** How sure the hub is that an instance of each status serves; below 0.5 whenever it is not healthy. */
const statusConfidence: Record<InstanceStatus, number> = {
  healthy: 1,
  degraded: 0.4,
  unknown: 0.3,
  unhealthy: 0.1,
};

/**
 * Answers discovery from the in-memory view: picks among healthy instances with the requested
 * strategy; when none is healthy, says so and recommends the best of the rest rather than nothing.
 */
export class Discovery {
  private readonly selectors: Readonly<Record<SelectionStrategy, Selector>>;
  private readonly defaultStrategy: SelectionStrategy;

  constructor(
    private readonly view: RegistryView,
    options: DiscoveryOptions = {},
  ) {
    // The client's strategies, so a client choosing from its cache picks the way the hub would.
    this.selectors = createSelectors(options.random);
    this.defaultStrategy = options.defaultStrategy ?? "round_robin";
  }

  /**
   * @throws HubError SERVICE_NOT_FOUND when the service has no instance the audience may see.
   */
  discover(name: string, audience: Audience, strategy?: SelectionStrategy): DiscoveryResult {
    const service = this.view.getService(name);
    const instances = service ? visibleTo(audience, service.ordered) : [];
    if (!service || instances.length === 0)
      throw new HubError("SERVICE_NOT_FOUND", `service ${name} is not registered`);
    const healthy =
      instances === service.ordered ? service.healthy : instances.filter((i) => i.status === "healthy");
    const selector = this.selectors[strategy ?? this.defaultStrategy];
    const audienceKey = audience.kind === "all" ? "all" : audience.tier;
    if (healthy.length > 0) {
      const recommended = selector.select(name, healthy);
      return {
        serviceName: name,
        recommended,
        healthy,
        instances,
        confidence: 1,
        healthyAvailable: true,
        message: "",
        cacheKey: `${service.generation}|${audienceKey}|${recommended.record.id}`,
      };
    }
    // `instances` is ordered best status first: recommend among the best status there is.
    const bestStatus = instances[0]!.status;
    const best = instances.filter((i) => i.status === bestStatus);
    const recommended = selector.select(name, best);
    return {
      serviceName: name,
      recommended,
      healthy,
      instances,
      confidence: statusConfidence[bestStatus],
      healthyAvailable: false,
      message: `no healthy instance of ${name}: recommending one that is ${bestStatus} (${recommended.statusMessage || "no detail"})`,
      cacheKey: `${service.generation}|${audienceKey}|${recommended.record.id}`,
    };
  }
}
