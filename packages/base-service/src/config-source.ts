import type { BaseServiceError } from "./base-service-error.js";

/**
 * Where a service's dynamic configuration comes from. The service subscribes when it starts and
 * unsubscribes when it stops; each valid document replaces the current one without a restart.
 *
 * The hub has no config service yet, so {@link createFileConfigSource} (a watched JSON file) is the
 * one implementation. A hub-backed source (the hub's `config` module with its watch stream, per
 * ARCHITECTURE.md) will implement this same interface and plug in with no change to services.
 */
export interface ConfigSource<T> {
  /**
   * Starts delivering. `onConfig` receives the current config as soon as it is known, then every
   * valid change. `onRejected` receives every document that could not be read, parsed or validated;
   * the last good config stays current. Returns a function that stops delivery (safe to call twice).
   */
  subscribe(onConfig: (config: T) => void, onRejected?: (error: BaseServiceError) => void): () => void;
}
