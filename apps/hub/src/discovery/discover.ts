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
  /** What the answer depends on, so encoded answers can be cached (see api/answer-cache.ts). */
  readonly answerKey: AnswerKey;
}

/**
 * Two results with equal keys are equal in everything but, when `spliceable`, the recommended
 * instance; so an encoded answer can be kept per service state and audience, with only the
 * recommendation spliced in per request.
 */
export interface AnswerKey {
  /** The service's entry in the view: the same object for as long as the service exists. */
  readonly scope: object;
  /** Changes with every change to the service's answerable state. */
  readonly generation: number;
  /** Whose view: "all" or a tier. */
  readonly audience: string;
  /**
   * Only the recommended instance (`recommended_endpoint` and `recommended`) varies with the
   * recommendation; false when the message mentions it too (no healthy instance).
   */
  readonly spliceable: boolean;
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
    const audienceName = audience.kind === "all" ? "all" : audience.tier;
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
        answerKey: {
          scope: service,
          generation: service.generation,
          audience: audienceName,
          spliceable: true,
        },
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
      answerKey: {
        scope: service,
        generation: service.generation,
        audience: audienceName,
        spliceable: false,
      },
    };
  }
}
