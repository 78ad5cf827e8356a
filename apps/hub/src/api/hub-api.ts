import type { Discovery, DiscoveryResult } from "../discovery/discover.js";
import type { SelectionStrategy } from "@hub/client";
import { HubError } from "../errors/hub-error.js";
import { parseServiceName } from "../registry/instance-input.js";
import type { InstanceInput } from "../registry/instance-input.js";
import type { Registry, RegisterResult } from "../registry/registry.js";
import { type CallerContext, audienceOf } from "./request-context.js";
import { type ServiceSummary, summarizeService } from "./service-summary.js";
import {
  openRegistryWatch,
  type RegistryWatch,
  type RegistryWatchEvent,
  type RegistryWatchListener,
  type RegistryWatchOptions,
} from "./registry-watch.js";
import { watchRegistry } from "./watch-registry.js";

/**
 * The domain calls both APIs (Connect and plain JSON) make: one place, so the two can never
 * answer differently. Each method validates what it is given and throws HubErrors.
 */
export class HubApi {
  constructor(
    readonly registry: Registry,
    private readonly discovery: Discovery,
  ) {}

  register(input: InstanceInput): Promise<RegisterResult> {
    return this.registry.register(input);
  }

  deregister(name: string, id: string): Promise<void> {
    return this.registry.deregister(name, id);
  }

  heartbeat(name: string, id: string, load?: number): Promise<{ leaseExpiresAt: number }> {
    return this.registry.heartbeat(name, id, load);
  }

  listServices(caller: CallerContext, legacyMode: boolean): ServiceSummary[] {
    const audience = audienceOf(caller, legacyMode);
    const services: ServiceSummary[] = [];
    for (const entry of this.registry.view.listServices()) {
      const summary = summarizeService(entry, audience);
      if (summary) services.push(summary);
    }
    return services;
  }

  /** @throws HubError SERVICE_NOT_FOUND when unknown or invisible to the caller's tier. */
  getService(name: string, caller: CallerContext, legacyMode: boolean): ServiceSummary {
    parseServiceName(name);
    const entry = this.registry.view.getService(name);
    const summary = entry && summarizeService(entry, audienceOf(caller, legacyMode));
    if (!summary) throw new HubError("SERVICE_NOT_FOUND", `service ${name} is not registered`);
    return summary;
  }

  discover(
    name: string,
    caller: CallerContext,
    legacyMode: boolean,
    strategy?: SelectionStrategy,
  ): DiscoveryResult {
    parseServiceName(name);
    return this.discovery.discover(name, audienceOf(caller, legacyMode), strategy);
  }

  /** A registry watch as an async iterable (connect-node's stream handlers). */
  watch(
    names: readonly string[],
    fromRevision: number,
    caller: CallerContext,
    legacyMode: boolean,
    signal: AbortSignal,
  ): AsyncIterable<RegistryWatchEvent> {
    return watchRegistry(this.registry, {
      ...this.watchOptions(names, fromRevision, caller, legacyMode),
      signal,
    });
  }

  /** A registry watch that pushes its events to `listener` (the fast watch path). */
  openWatch(
    names: readonly string[],
    fromRevision: number,
    caller: CallerContext,
    legacyMode: boolean,
    listener: RegistryWatchListener,
  ): RegistryWatch {
    return openRegistryWatch(
      this.registry,
      this.watchOptions(names, fromRevision, caller, legacyMode),
      listener,
    );
  }

  private watchOptions(
    names: readonly string[],
    fromRevision: number,
    caller: CallerContext,
    legacyMode: boolean,
  ): RegistryWatchOptions {
    for (const [i, name] of names.entries()) parseServiceName(name, `names[${i}]`);
    return { names, fromRevision, audience: audienceOf(caller, legacyMode) };
  }
}
