import { type ConfigScope, type ConfigWatch, createHubClient, type HubClient } from "@hub/client";
import type { ConfigSource } from "./config-source.js";
import { ConfigSubscribers } from "./config-subscribers.js";
import { baseServiceDefaults, checkHubConfigSourceOptions, type HubConfigSourceOptions } from "./options.js";
import { describeValidationError } from "./validation-issues.js";

/**
 * A {@link ConfigSource} fed by the hub's config service (WatchConfig): the current document as
 * soon as the hub answers, then every change, pushed by the hub without polling. The watch
 * reconnects with jittered exponential backoff and fails over between hubs, resuming from the last
 * version it saw, so a change made while the hub was restarting arrives once it is back.
 *
 * Each document passes through `validate`; one that fails is reported to `onRejected` and the
 * last good config stays current. So is a tenant that has no config on the hub, and a refusal by
 * the hub (e.g. `permission_denied`), which is retried with backoff like a disconnection.
 *
 * @throws BaseServiceError INVALID_CONFIG for a missing or unknown scope, or an unknown or bad option.
 * @example
 * const source = createHubConfigSource({
 *   hubUrls: ["http://127.0.0.1:7000"],
 *   scope: { tenant: "company_abc" },
 *   validate: (v) => TenantLimits.parse(v),
 * });
 * const service = new BaseService({ service_name: "api-gateway" }, {
 *   configSource: source,
 *   onConfigChange: (config) => limiter.update(config.rate_limits),
 * });
 */
export function createHubConfigSource<T = Record<string, unknown>>(
  options: HubConfigSourceOptions<T>,
): ConfigSource<T> {
  checkHubConfigSourceOptions(options);
  const { scope } = options;
  const validate = options.validate ?? (jsonObject as (value: unknown) => T);
  const where = describe(scope);
  const subscribers: ConfigSubscribers<T, bigint> = new ConfigSubscribers(`hub config (${where})`, {
    start: () => start(),
    stop: () => stop(),
  });
  // The client made here (not one the caller gave), closed when the last subscriber leaves.
  let ownedClient: HubClient | undefined;
  let watch: ConfigWatch | undefined;

  const start = () => {
    const client =
      options.client ??
      createHubClient({
        ...options.hubClientOptions,
        hubUrls: options.hubUrls ?? baseServiceDefaults.hubUrls,
      });
    ownedClient = options.client === undefined ? client : undefined;
    watch = client.watchConfig(
      scope,
      (event) => {
        switch (event.type) {
          case "config": {
            // Reconnections resume from the last version, but a version is never applied twice.
            if (subscribers.isKnown(event.version)) return;
            subscribers.offer(
              event.version,
              () => validate(event.config),
              (error) =>
                `version ${event.version} is invalid (${describeValidationError(error, "config")}); keeping the previous config`,
            );
            return;
          }
          case "absent":
            subscribers.reject("the tenant has no config on the hub; keeping the previous config");
            return;
          case "disconnected":
            if (event.refused) {
              subscribers.reject(`the hub refused the watch: ${event.error.rawMessage}`, event.error);
            } else options.onDisconnect?.(event.error, event.retryInMs);
            return;
        }
      },
      options.tenant === undefined ? {} : { tenant: options.tenant },
    );
  };

  const stop = () => {
    watch?.close();
    watch = undefined;
    void ownedClient?.close();
    ownedClient = undefined;
  };

  return { subscribe: (onConfig, onRejected) => subscribers.subscribe(onConfig, onRejected) };
}

function describe(scope: ConfigScope): string {
  if ("tenant" in scope) return `tenant ${scope.tenant}`;
  if ("tier" in scope) return `tier ${scope.tier}`;
  return "global";
}

/** Accepts any JSON object (the hub only stores objects; this guards a custom transport). */
function jsonObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("must be a JSON object");
  }
  return value as Record<string, unknown>;
}
