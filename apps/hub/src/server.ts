import { setMaxListeners } from "node:events";
import { createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { ConfigApi } from "./api/config-api.js";
import { createConnectServices } from "./api/connect/routes.js";
import { createCorsHandler } from "./api/cors.js";
import { createFastGrpcUnaryPath } from "./api/fast/fast-grpc-unary.js";
import { createFastUnaryPath } from "./api/fast/fast-unary.js";
import type { FastUnaryRoute } from "./api/fast/route-table.js";
import type { FastPath } from "./api/fast/fast-path.js";
import { createFastDiscoverPath } from "./api/fast/fast-discover-path.js";
import { createFastWatchPath } from "./api/fast/fast-watch.js";
import { createHotRoutes } from "./api/fast/hot-routes.js";
import { HealthReporter } from "./api/health-reporter.js";
import { createHttpHandler, type NodeHandler } from "./api/http-handler.js";
import { HubApi } from "./api/hub-api.js";
import type { ResolvedCaller } from "./api/request-context.js";
import { callerKey, peerKey } from "./api/request-context.js";
import { DiscoverJsonAnswers } from "./api/rest/discover-json.js";
import { RestRouter } from "./api/rest/rest-router.js";
import { answerUnknownRoute } from "./api/unknown-route.js";
import { createAdminAccess } from "./auth/admin-access.js";
import { createHeaderTenantContextResolver } from "./auth/tenant-context.js";
import { type Clock, systemClock } from "./clock.js";
import type { HubConfig } from "./config.js";
import { ConfigDocuments } from "./config/index.js";
import { Discovery } from "./discovery/discover.js";
import type { Probe } from "./health/index.js";
import type { HubLogger } from "./logger.js";
import { logRegistryEvents } from "./monitoring/registry-event-log.js";
import { RequestMetrics } from "./monitoring/request-metrics.js";
import { SystemResourceSampler } from "./monitoring/system-resources.js";
import { startInstanceChecks } from "./registry/instance-checks.js";
import { Registry } from "./registry/registry.js";
import { createStore } from "./store/index.js";
import type { Store } from "./store/store.js";
import { hubVersion } from "./version.js";

/** A composed hub: its request handler and the parts tests and main need to reach. */
export interface Hub {
  readonly handler: NodeHandler;
  readonly registry: Registry;
  readonly api: HubApi;
  readonly store: Store;
  /** Dynamic configuration (global, tier defaults, tenants); not the hub's own settings. */
  readonly configDocuments: ConfigDocuments;
  /** The fast path for hot unary calls, when enabled. @internal */
  readonly fastPath: FastPath | undefined;
  /** The fast path for hot unary calls over gRPC, when enabled. @internal */
  readonly fastGrpc: FastPath | undefined;
  /** The fast path for WatchServices streams, when enabled. @internal */
  readonly fastWatch: FastPath | undefined;
  /** The fast path for GET /services/discover/{name}, when enabled. @internal */
  readonly fastDiscover: FastPath | undefined;
  /** Ends open streams and makes grpc.health report NOT_SERVING; call before closing the listener. */
  beginShutdown(): void;
  /** Stops health checks and watches and closes the store (flushing pending writes). */
  close(): Promise<void>;
}

export interface CreateHubOptions {
  readonly config: HubConfig;
  readonly logger: HubLogger;
  readonly clock?: Clock;
  /** Use this store instead of opening the configured one (tests). */
  readonly store?: Store;
  /** Use this health probe instead of the real protocol probes (tests). */
  readonly probe?: Probe;
  /** Serve hot unary calls and watches on the fast paths (default true); false sends all to connect-node. */
  readonly fastPath?: boolean;
}

/** Composes store → registry → discovery → health checks → APIs. Nothing else knows all of them. */
export async function createHub(options: CreateHubOptions): Promise<Hub> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await createStore(config, clock));
  const registry = await Registry.open({
    store,
    clock,
    limits: config.limits,
    defaults: {
      ttlMs: Math.round(config.defaultTtlSeconds * 1000),
      deregisterCriticalAfterMs: Math.round(config.deregisterCriticalAfterSeconds * 1000),
      healthCheck: {
        disabled: false,
        intervalMs: Math.round(config.checks.intervalSeconds * 1000),
        timeoutMs: Math.round(config.checks.timeoutSeconds * 1000),
        rise: config.checks.rise,
        fall: config.checks.fall,
        grpcService: "",
      },
    },
    onWatchError: (error) => logger.warn({ err: error }, "registry watch failed; reloading the view"),
  });
  const configDocuments = await ConfigDocuments.open({
    store,
    clock,
    onWatchError: (error) => logger.warn({ err: error }, "config watch failed; reloading the view"),
  });
  const configApi = new ConfigApi(configDocuments, createAdminAccess(config.adminToken));
  const checks = startInstanceChecks({
    registry,
    clock,
    logger,
    maxConcurrent: config.maxConcurrentChecks,
    ...(options.probe ? { probe: options.probe } : {}),
  });
  const stopEventLog = logRegistryEvents(registry, logger);
  const api = new HubApi(registry, new Discovery(registry.view));
  const metrics = new RequestMetrics(clock);
  const reporter = new HealthReporter(
    {
      serviceName: config.serviceName,
      version: hubVersion,
      clock,
      startedAt: clock.now(),
      metrics,
      resources: new SystemResourceSampler(config.storage === "sqlite" ? config.dataDir : undefined),
      dependencies: () => ({ store: "healthy" }),
    },
    api,
    clock,
  );
  // Aborted when the hub starts stopping, so open streams (watches) end instead of holding
  // the listener's graceful close until its deadline.
  const shutdown = new AbortController();
  // connect-node links one listener per in-flight request to this signal: many at once is normal.
  setMaxListeners(0, shutdown.signal);
  const hot = createHotRoutes(api);
  const hotRoutes = [hot.discover, hot.getService, hot.heartbeat] as FastUnaryRoute[];
  const callers = new WeakMap<object, ResolvedCaller>();
  const connect = connectNodeAdapter({
    routes: createConnectServices({
      api,
      hot,
      reporter,
      registry,
      config: configApi,
      hubServing: () => !shutdown.signal.aborted,
    }),
    shutdownSignal: shutdown.signal,
    readMaxBytes: config.maxBodyBytes,
    contextValues: (req) =>
      createContextValues()
        .set(callerKey, callers.get(req))
        .set(peerKey, { remoteAddress: req.socket?.remoteAddress }),
    fallback: answerUnknownRoute,
  });
  const discoverAnswers = new DiscoverJsonAnswers();
  const fast =
    options.fastPath === false
      ? undefined
      : {
          unary: createFastUnaryPath(hotRoutes, config.maxBodyBytes),
          grpcUnary: createFastGrpcUnaryPath(hotRoutes, config.maxBodyBytes),
          discover: createFastDiscoverPath(api, discoverAnswers),
          watch: createFastWatchPath({
            api,
            readMaxBytes: config.maxBodyBytes,
            shutdownSignal: shutdown.signal,
          }),
        };
  const handler = createHttpHandler({
    rest: new RestRouter({
      api,
      config: configApi,
      health: reporter,
      maxBodyBytes: config.maxBodyBytes,
      discoverAnswers,
    }),
    connect,
    resolver: createHeaderTenantContextResolver(config.trustTenantHeaders),
    metrics,
    logger,
    callers,
    cors: createCorsHandler(config.corsAllowedOrigins),
    fast: fast ? [fast.unary, fast.grpcUnary, fast.discover, fast.watch] : [],
  });
  return {
    handler,
    registry,
    api,
    store,
    configDocuments,
    fastPath: fast?.unary,
    fastGrpc: fast?.grpcUnary,
    fastWatch: fast?.watch,
    fastDiscover: fast?.discover,
    beginShutdown() {
      shutdown.abort();
    },
    async close() {
      shutdown.abort();
      stopEventLog();
      await checks.close();
      await registry.close();
      await configDocuments.close();
      await store.close();
    },
  };
}
