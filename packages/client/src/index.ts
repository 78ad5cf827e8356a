// The Node entry point. User-facing API first, then the pieces sibling packages build on.
// The browser entry point (web.ts) exports the same API with a fetch-based transport.

import type { HubClient } from "./hub-client.js";
import { createHubClientCore } from "./hub-client.js";
import { customTransportFactory } from "./hub-pool.js";
import { nodeTransportFactory } from "./node-transport.js";
import { type NodeHubClientOptions, resolveNodeHubClientOptions } from "./options.js";

/**
 * Creates a {@link HubClient} for Node. Each hub URL gets a `@hub/transport-fallback` manager
 * (Connect binary over HTTP/1.1, then gRPC, then Connect JSON, with breakers); the client fails
 * over between the URLs, preferring the one that last worked.
 *
 * @throws HubClientError INVALID_OPTIONS when the options are invalid.
 * @example
 * const client = createHubClient({ hubUrls: ["http://127.0.0.1:7000"] });
 * const registration = await client.register({ name: "data-bridge", host: "127.0.0.1", port: 8001 });
 * const { recommended } = await client.discover("risk-management");
 * await client.close(); // deregisters, ends the watch
 */
export function createHubClient(options?: NodeHubClientOptions): HubClient {
  const { client, fallback } = resolveNodeHubClientOptions(options);
  const factory =
    client.createTransport === null
      ? nodeTransportFactory(fallback, client.clock)
      : customTransportFactory(client.createTransport);
  return createHubClientCore(client, factory);
}

export type { Clock, TimerHandle } from "./clock.js";
export type { ConfigScope, ConfigValue } from "./config-scope.js";
export type { ConfigWatch, ConfigWatchEvent } from "./config-watcher.js";
export { systemClock } from "./clock.js";
export type { DiscoveredInstance, InstanceStatus } from "./discovered-instance.js";
export type { DiscoverResult } from "./discovery-answer.js";
export type { HubClientErrorCode } from "./error-codes.js";
export { connectCodeOf } from "./error-codes.js";
export type {
  HubClientEvent,
  HubClientEventOf,
  HubClientEventSource,
  HubClientEventType,
} from "./events.js";
export type { CacheState, ConfigCallOptions, HubClient } from "./hub-client.js";
export { HubClientError, isHubClientError } from "./hub-client-error.js";
export type {
  BackoffOptions,
  DiscoverOptions,
  HealthCheckRegistration,
  HubClientOptions,
  InstanceProtocol,
  InstanceRegistration,
  NodeHubClientOptions,
  RegisterOptions,
  SubscriptionTier,
  TenantContext,
} from "./options.js";
export { defaultHubClientOptions } from "./options.js";
export type { Registration, RegistrationState } from "./registration.js";
export type { Selectable, SelectionStrategy, Selector } from "./selection.js";
export {
  createLeastLoadSelector,
  createRoundRobinSelector,
  createSelectors,
  createWeightedSelector,
  selectionStrategies,
} from "./selection.js";
export type { CachedService } from "./service-cache.js";
