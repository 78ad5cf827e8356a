import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { ConfigService, DiscoveryService, SelectionStrategy as ProtoStrategy } from "@hub/proto";
import {
  type ConfigScope,
  type ConfigValue,
  describeConfigScope,
  scopeToProto,
  tierFromProto,
} from "./config-scope.js";
import { type ConfigWatch, type ConfigWatchEvent, startConfigWatch } from "./config-watcher.js";
import { answerFromCache, answerFromHub, type DiscoverResult } from "./discovery-answer.js";
import { createEventBus, type HubClientEventSource } from "./events.js";
import { HubClientError, isHubClientError } from "./hub-client-error.js";
import { createHubPool, type HubTransportFactory, throwIfAborted } from "./hub-pool.js";
import {
  type DiscoverOptions,
  type InstanceRegistration,
  type RegisterOptions,
  type ResolvedDiscoverOptions,
  type ResolvedHubClientOptions,
  type TenantContext,
  resolveDiscoverOptions,
  resolveRegisterOptions,
  validateRegistration,
} from "./options.js";
import type { Registration } from "./registration.js";
import { createSelectors, type SelectionStrategy } from "./selection.js";
import { type CachedService, ServiceCache } from "./service-cache.js";
import { createServiceWatcher } from "./service-watcher.js";
import { startRegistration } from "./start-registration.js";
import { tenantHeaders } from "./tenant-headers.js";

/** The local cache as `client.cacheState()` reports it. */
export interface CacheState {
  /** A snapshot has arrived; `discover` answers from the cache. */
  readonly loaded: boolean;
  /** The watch stream is open and the cache is current. */
  readonly connected: boolean;
  /** Revision of the last snapshot or change applied; 0 before the first snapshot. */
  readonly revision: bigint;
  /** Services in the cache. */
  readonly services: number;
  /** How long ago the cache was last known to be current, in ms: 0 while connected, null before the first snapshot. */
  readonly staleForMs: number | null;
  /** Clock time at which the cache was last known to be current; null before the first snapshot. */
  readonly lastSyncedAt: number | null;
  /** The hub of the open stream, else of the last one; null before the first. */
  readonly hubUrl: string | null;
}

/** A client of one or more hubs: registration with heartbeats, and discovery from a local cache. */
export interface HubClient extends HubClientEventSource {
  /**
   * Registers an instance and heartbeats for it in the background until `registration.close()`
   * or `client.close()`. While no hub answers it retries with backoff, for up to `registerTimeoutMs`.
   * @throws HubClientError INVALID_OPTIONS, UNAVAILABLE (no hub answered in time), ABORTED, CLOSED.
   * @throws ConnectError unchanged when the hub rejected the registration (e.g. `invalid_argument`).
   */
  register(registration: InstanceRegistration, options?: RegisterOptions): Promise<Registration>;
  /**
   * Answers "where is service `name`?" from the local cache, which the watch stream keeps current;
   * while every hub is down it answers from the last known state (see `staleForMs`). Before the first
   * snapshot it waits up to `snapshotWaitMs`, then asks a hub directly (unless `fallback` is false).
   * @throws HubClientError NOT_FOUND when the loaded cache (or the hub) has no such service;
   *   UNAVAILABLE only when there is no snapshot yet and no hub answered; ABORTED; CLOSED; INVALID_OPTIONS.
   */
  discover(name: string, options?: DiscoverOptions): Promise<DiscoverResult>;
  /**
   * Reads a config from the hub: the global document, a tier's defaults, or a tenant's effective
   * config. `tenant` replaces the client's tenant headers for this call (the hub lets a caller
   * asserting company X read tenant X only).
   * @throws HubClientError NOT_FOUND (a tenant without config), UNAVAILABLE, ABORTED, CLOSED, INVALID_OPTIONS.
   * @throws ConnectError unchanged for the hub's other refusals (e.g. `permission_denied`).
   */
  getConfig(scope: ConfigScope, options?: ConfigCallOptions): Promise<ConfigValue>;
  /**
   * Watches a config: `onEvent` receives the current value, then every change, across hub restarts
   * and failovers (resuming from the last version, so no change is missed), until the returned
   * watch or the client is closed. Disconnections are reported and retried with backoff.
   * @throws HubClientError INVALID_OPTIONS for a bad scope, CLOSED.
   */
  watchConfig(
    scope: ConfigScope,
    onEvent: (event: ConfigWatchEvent) => void,
    options?: ConfigCallOptions,
  ): ConfigWatch;
  /** Where the local cache stands: loaded, connected, revision, staleness. */
  cacheState(): CacheState;
  /** Every service in the local cache, sorted by name (empty before the first snapshot). */
  cachedServices(): readonly CachedService[];
  /** Deregisters every registration, ends the watch and releases connections. Safe to call twice. */
  close(): Promise<void>;
}

/** Per-call options of {@link HubClient.getConfig} and {@link HubClient.watchConfig}. */
export interface ConfigCallOptions {
  /** Tenant headers for this call instead of the client's `tenant`. Default: the client's. */
  tenant?: TenantContext;
  /** Aborts a `getConfig` call. Default: none. */
  signal?: AbortSignal;
}

const strategyToProto: Readonly<Record<SelectionStrategy, ProtoStrategy>> = {
  round_robin: ProtoStrategy.ROUND_ROBIN,
  weighted: ProtoStrategy.WEIGHTED,
  least_load: ProtoStrategy.LEAST_LOAD,
};

/**
 * The client logic shared by the Node and browser entry points, which differ only in `factory`.
 * @internal
 */
export function createHubClientCore(
  options: ResolvedHubClientOptions,
  factory: HubTransportFactory,
): HubClient {
  const { clock } = options;
  const events = createEventBus(options.onEvent);
  const closing = new AbortController();
  const pool = createHubPool({
    hubUrls: options.hubUrls,
    factory,
    clock,
    callTimeoutMs: options.callTimeoutMs,
    attemptTimeoutMs: options.attemptTimeoutMs,
    events,
  });
  const cache = new ServiceCache();
  const watcher = createServiceWatcher({
    pool,
    cache,
    clock,
    random: options.random,
    backoff: options.backoff,
    attemptTimeoutMs: options.attemptTimeoutMs,
    checkIntervalMs: options.watchCheckIntervalMs,
    headers: tenantHeaders(options.tenant),
    legacyMode: options.legacyMode,
    events,
  });
  const selectors = createSelectors(options.random);
  const registrations = new Set<Registration>();
  // First registrations still in flight: close() waits for them before it releases the transports.
  const starting = new Set<Promise<unknown>>();
  let closed: Promise<void> | undefined;

  const staleForMs = (): number | null => {
    const { connected, lastSyncedAt } = watcher.status();
    if (connected) return 0;
    return lastSyncedAt === null ? null : Math.max(0, clock.now() - lastSyncedAt);
  };

  const throwIfClosed = () => {
    if (closing.signal.aborted) throw new HubClientError("CLOSED", "the client was closed");
  };

  async function discoverDirect(name: string, o: ResolvedDiscoverOptions): Promise<DiscoverResult> {
    const signal = o.signal === null ? closing.signal : AbortSignal.any([o.signal, closing.signal]);
    try {
      const { value } = await pool.call(
        (hub, callOptions) =>
          createClient(DiscoveryService, hub.transport).discover(
            { name, strategy: strategyToProto[o.strategy], legacyMode: options.legacyMode },
            callOptions,
          ),
        { label: `Discover(${name})`, signal, headers: tenantHeaders(o.tenant) },
      );
      return answerFromHub(name, value);
    } catch (caught) {
      throwIfClosed();
      if (isHubClientError(caught)) throw caught;
      const error = ConnectError.from(caught);
      if (error.code === Code.NotFound)
        throw new HubClientError("NOT_FOUND", `service ${name} is not registered`, error);
      throw caught;
    }
  }

  if (options.watchOnStart) watcher.start();

  return {
    on: (type, listener) => events.on(type, listener),

    async register(registration, registerOptions) {
      throwIfClosed();
      validateRegistration(registration);
      const resolved = resolveRegisterOptions(options, registerOptions);
      const started = startRegistration(
        {
          pool,
          clock,
          random: options.random,
          backoff: options.backoff,
          heartbeatsPerTtl: options.heartbeatsPerTtl,
          heartbeatJitter: options.heartbeatJitter,
          events,
          closing: closing.signal,
        },
        registration,
        resolved,
        (closedHandle) => registrations.delete(closedHandle),
      );
      const settled = started.then(
        () => {},
        () => {},
      );
      starting.add(settled);
      try {
        const handle = await started;
        registrations.add(handle);
        return handle;
      } finally {
        starting.delete(settled);
      }
    },

    async discover(name, discoverOptions) {
      throwIfClosed();
      const o = resolveDiscoverOptions(options, discoverOptions);
      if (typeof name !== "string" || name === "") {
        throw new HubClientError("INVALID_OPTIONS", "name: must be a non-empty string");
      }
      throwIfAborted(o.signal, `Discover(${name})`);
      // The cache holds the client tenant's view; another tenant may see other services.
      if (o.tenantDiffers) return discoverDirect(name, o);
      watcher.start();
      if (!cache.loaded) {
        try {
          await watcher.waitForSnapshot(o.snapshotWaitMs, o.signal);
        } catch (reason) {
          throw new HubClientError("ABORTED", `Discover(${name}) was aborted`, reason);
        }
        throwIfClosed();
        if (!cache.loaded) {
          if (!o.fallback) {
            throw new HubClientError("UNAVAILABLE", `no snapshot from any hub within ${o.snapshotWaitMs} ms`);
          }
          return discoverDirect(name, o);
        }
      }
      const service = cache.get(name);
      if (service === undefined) {
        throw new HubClientError(
          "NOT_FOUND",
          `service ${name} is not registered (cache revision ${cache.revision})`,
        );
      }
      return answerFromCache(service, selectors[o.strategy], {
        revision: cache.revision,
        staleForMs: staleForMs() ?? 0,
      });
    },

    async getConfig(scope, callOptions) {
      throwIfClosed();
      const protoScope = scopeToProto(scope);
      const signal =
        callOptions?.signal === undefined
          ? closing.signal
          : AbortSignal.any([callOptions.signal, closing.signal]);
      const headers = tenantHeaders(callOptions?.tenant ?? options.tenant);
      const label = `GetConfig(${describeConfigScope(scope)})`;
      try {
        const { value } = await pool.call(
          async (hub, call) => {
            const config = createClient(ConfigService, hub.transport);
            if ("tenant" in scope) {
              const answer = (await config.getTenantConfig({ tenantId: scope.tenant }, call)).tenantConfig;
              return {
                version: answer?.version ?? 0n,
                config: answer?.config ?? {},
                subscriptionTier: answer && tierFromProto(answer.subscriptionTier),
              };
            }
            const document = (await config.getConfig({ scope: protoScope }, call)).document;
            return {
              version: document?.version ?? 0n,
              config: document?.config ?? {},
              subscriptionTier: undefined,
            };
          },
          { label, signal, headers },
        );
        return value;
      } catch (caught) {
        throwIfClosed();
        if (isHubClientError(caught)) throw caught;
        const error = ConnectError.from(caught);
        if (error.code === Code.NotFound) throw new HubClientError("NOT_FOUND", error.rawMessage, error);
        throw caught;
      }
    },

    watchConfig(scope, onEvent, callOptions) {
      throwIfClosed();
      return startConfigWatch(
        {
          pool,
          clock,
          random: options.random,
          backoff: options.backoff,
          headers: tenantHeaders(callOptions?.tenant ?? options.tenant),
          closing: closing.signal,
        },
        scope,
        onEvent,
      );
    },

    cacheState() {
      const { connected, hubUrl, lastSyncedAt } = watcher.status();
      return {
        loaded: cache.loaded,
        connected,
        revision: cache.revision,
        services: cache.size,
        staleForMs: staleForMs(),
        lastSyncedAt,
        hubUrl,
      };
    },

    cachedServices() {
      return cache.list();
    },

    close() {
      closed ??= (async () => {
        const open = [...registrations];
        closing.abort();
        watcher.close();
        await Promise.all([...open.map((registration) => registration.close()), ...starting]);
        pool.close();
      })();
      return closed;
    },
  };
}
