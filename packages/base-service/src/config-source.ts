import type { BaseServiceError } from "./base-service-error.js";

/**
 * Where a service's dynamic configuration comes from. The service subscribes when it starts and
 * unsubscribes when it stops; each valid document replaces the current one without a restart.
 *
 * Two implementations: {@link createHubConfigSource} follows the hub's config service (the global
 * document, a tier's defaults or a tenant's effective config, pushed over WatchConfig), and
 * {@link createFileConfigSource} watches a JSON file. Services see no difference between them.
 */
export interface ConfigSource<T> {
  /**
   * Starts delivering. `onConfig` receives the current config as soon as it is known, then every
   * valid change. `onRejected` receives every document that could not be read, parsed or validated;
   * the last good config stays current. Returns a function that stops delivery (safe to call twice).
   */
  subscribe(onConfig: (config: T) => void, onRejected?: (error: BaseServiceError) => void): () => void;
}
