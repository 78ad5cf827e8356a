// The browser entry point ("browser" export condition, and the "@hub/client/web" subpath): the same
// client as the Node entry, over @connectrpc/connect-web. Nothing imported from here may reach a
// Node built-in; test/browser-bundle.test.ts checks the built file.

import type { HubClient } from "./hub-client.js";
import { createHubClientCore } from "./hub-client.js";
import { customTransportFactory } from "./hub-pool.js";
import { resolveWebHubClientOptions, type WebHubClientOptions } from "./options.js";
import { webTransportFactory } from "./web-transport.js";

/**
 * Creates a {@link HubClient} for browsers (and other fetch-only runtimes). Each hub URL gets a
 * Connect (default) or gRPC-web transport over fetch; the hub must allow the page's origin
 * (`--cors-allowed-origins`).
 *
 * @throws HubClientError INVALID_OPTIONS when the options are invalid.
 * @example
 * const client = createHubClient({ hubUrls: ["https://hub.example.com"] });
 * const { recommended } = await client.discover("risk-management");
 */
export function createHubClient(options?: WebHubClientOptions): HubClient {
  const { client, transport } = resolveWebHubClientOptions(options);
  const factory =
    client.createTransport === null
      ? webTransportFactory(transport)
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
  RegisterOptions,
  SubscriptionTier,
  TenantContext,
  WebHubClientOptions,
} from "./options.js";
export { defaultHubClientOptions } from "./options.js";
export type { Registration, RegistrationState } from "./registration.js";
export type { SelectionStrategy } from "./selection.js";
export type { CachedService } from "./service-cache.js";
