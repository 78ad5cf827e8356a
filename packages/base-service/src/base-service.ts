import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type Clock,
  createHubClient,
  type DiscoverOptions,
  type DiscoverResult,
  type HubClient,
  type Registration,
} from "@hub/client";
import { ErrorDNA } from "@hub/error-dna";
import {
  createPrometheusExporter,
  PerformanceTracker,
  type PrometheusExporter,
  toHealthMetrics,
} from "@hub/perf-tracker";
import { type Logger, pino } from "pino";
import { BaseServiceError } from "./base-service-error.js";
import { DynamicConfig } from "./dynamic-config.js";
import { closeGracefully } from "./graceful-close.js";
import {
  ActiveTenants,
  buildHealthReport,
  type DependencyCheck,
  type DependencyCheckOptions,
  DependencyChecks,
  HealthChangeLog,
  type HealthReport,
  type HealthStatus,
  SystemResourceSampler,
} from "./health/index.js";
import { hubLinkStatus, instanceRegistration, registerWithHub } from "./hub-registration.js";
import { InFlightRequests } from "./in-flight.js";
import {
  type BaseServiceOptions,
  type ResolvedBaseServiceOptions,
  type ResolvedServiceConfig,
  resolveBaseServiceOptions,
  resolveServiceConfig,
  type ServiceConfigInput,
} from "./options.js";
import { rawReply } from "./reply.js";
import { currentTenant, setFallbackLogger } from "./request-scope.js";
import {
  createRequestListener,
  type MountedHandler,
  type RouteEntry,
  type RouteHandler,
} from "./request-pipeline.js";
import { type HttpMethod, Router } from "./router.js";
import { installSignalHandlers } from "./signals.js";

/** Where a service is in its life: `created` → `starting` → `running` → `stopping` → `stopped`. */
export type ServiceState = "created" | "starting" | "running" | "stopping" | "stopped";

/** Where a started service listens. */
export interface ServiceAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, with the host the service listens on. */
  readonly url: string;
}

/** How long a signal-triggered shutdown lets the process end by itself before it exits. */
const exitGraceMs = 500;

/** The service's own informational entry in `/health`'s dependencies: never changes its status. */
const hubDependencyName = "central-hub";

/**
 * The standard service skeleton. It serves HTTP (`node:http`) with the platform's standard
 * `/health` and Prometheus `/metrics`, a small route table whose answers go out in the standard
 * envelope, tenant context from the `x-*` headers (`currentTenant()`, `logger()`, `tenantFetch`),
 * registers with the hub through `@hub/client` (heartbeats, re-registration), applies dynamic
 * config from a {@link ConfigSource} without a restart, and stops gracefully on SIGTERM/SIGINT.
 *
 * Use it directly or subclass it, as SEED.md's `class ApiGatewayService(BaseService)` does.
 *
 * @throws BaseServiceError INVALID_CONFIG (from the constructor) naming each bad key.
 * @example
 * const service = new BaseService({ service_name: "risk-management", version: "1.0.0", port: 8002 });
 * service.post("/risk/validate", async (ctx) => ({ approved: true, tenant: ctx.tenant.companyId }));
 * service.addDependency("database", () => db.ping(), { critical: true });
 * await service.start(); // listening, registered; stops on SIGTERM
 */
export class BaseService<TConfig = unknown> {
  /** The service name, as registered. */
  readonly name: string;
  /** The validated config with every default applied. */
  readonly config: ResolvedServiceConfig;
  /** The root logger; inside a request prefer `logger()` or `ctx.log`, which carry the correlation id. */
  readonly logger: Logger;
  /** Measures every request (except `/health` and `/metrics`); add your own operations to it. */
  readonly tracker: PerformanceTracker;
  /** Analyses every 5xx for the logs; use it for your own errors too. */
  readonly errorDna: ErrorDNA;

  readonly #options: ResolvedBaseServiceOptions<TConfig>;
  readonly #clock: Clock;
  readonly #router = new Router<RouteEntry>();
  readonly #dependencies: DependencyChecks;
  readonly #activeTenants: ActiveTenants;
  readonly #resources: SystemResourceSampler;
  readonly #inFlight = new InFlightRequests();
  readonly #shutdownHooks: Array<() => void | Promise<void>> = [];
  #mounted: MountedHandler | undefined;
  #state: ServiceState = "created";
  #server: Server | undefined;
  #address: ServiceAddress | undefined;
  #startedAt: number;
  #hubClient: HubClient | undefined;
  #ownsHubClient = false;
  #registration: Registration | undefined;
  #exporter: PrometheusExporter | undefined;
  readonly #dynamicConfig: DynamicConfig<TConfig> | undefined;
  #removeSignalHandlers: (() => void) | undefined;
  #restoreFallbackLogger: (() => void) | undefined;
  readonly #healthChanges: HealthChangeLog;
  #starting: Promise<ServiceAddress> | undefined;
  #stopping: Promise<void> | undefined;
  /** Aborted by a stop() during start(): ends the wait for the config and the registration retries. */
  readonly #startAbort = new AbortController();

  constructor(config: ServiceConfigInput, options?: BaseServiceOptions<TConfig>) {
    this.config = resolveServiceConfig(config);
    this.#options = resolveBaseServiceOptions(options);
    this.name = this.config.serviceName;
    this.#clock = this.#options.clock;
    this.logger =
      this.#options.logger ??
      pino({
        level: this.config.logLevel,
        base: { service: this.name, version: this.config.version, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
      });
    this.tracker = this.#options.tracker ?? new PerformanceTracker(this.name, this.#options.trackerOptions);
    this.errorDna = this.#options.errorDna ?? new ErrorDNA(this.name);
    this.#dependencies = new DependencyChecks(this.#clock, this.config.dependencyTimeoutMs);
    this.#activeTenants = new ActiveTenants(this.#clock, this.config.activeTenantWindowMs);
    this.#resources = new SystemResourceSampler(this.config.diskPath);
    this.#startedAt = this.#clock.now();
    this.#hubClient = this.#options.hubClient;
    this.#healthChanges = new HealthChangeLog(this.logger);
    const { configSource, onConfigChange, configTimeoutMs } = this.#options;
    this.#dynamicConfig =
      configSource === undefined
        ? undefined
        : new DynamicConfig({
            source: configSource,
            onChange: onConfigChange,
            clock: this.#clock,
            timeoutMs: configTimeoutMs,
            log: this.logger,
          });
    this.#addInternalRoutes();
  }

  /**
   * Adds a route: `method` and a path pattern with `:name` segments and an optional trailing `*`.
   * The handler's result goes out in the success envelope; a thrown `ServiceError` as its status.
   * @throws BaseServiceError INVALID_ROUTE for a bad method or pattern, or a route defined twice.
   * @example
   * service.route("GET", "/orders/:id", (ctx) => orders.get(ctx.params.id));
   */
  route(method: HttpMethod | Lowercase<HttpMethod>, pattern: string, handler: RouteHandler): this {
    this.#router.add(method, pattern, { handler, internal: false });
    return this;
  }

  /** `route("GET", pattern, handler)` (also answers HEAD). */
  get(pattern: string, handler: RouteHandler): this {
    return this.route("GET", pattern, handler);
  }

  /** `route("POST", pattern, handler)`. */
  post(pattern: string, handler: RouteHandler): this {
    return this.route("POST", pattern, handler);
  }

  /** `route("PUT", pattern, handler)`. */
  put(pattern: string, handler: RouteHandler): this {
    return this.route("PUT", pattern, handler);
  }

  /** `route("PATCH", pattern, handler)`. */
  patch(pattern: string, handler: RouteHandler): this {
    return this.route("PATCH", pattern, handler);
  }

  /** `route("DELETE", pattern, handler)`. */
  delete(pattern: string, handler: RouteHandler): this {
    return this.route("DELETE", pattern, handler);
  }

  /**
   * Hands every request the route table does not answer to a plain Node handler (an express app,
   * say). It still runs in the request's tenant scope, is measured, logged and drained on shutdown.
   */
  mount(handler: MountedHandler): this {
    this.#mounted = handler;
    return this;
  }

  /**
   * Adds a dependency check to `/health`: run on every health request (concurrent requests share
   * one run), each under its timeout. An unhealthy `critical` dependency makes the service unhealthy
   * (503), any other one degraded.
   * @throws BaseServiceError INVALID_CONFIG for an empty or taken name or a bad timeout.
   * @example
   * service.addDependency("database", (signal) => pool.query("select 1", { signal }).then(() => true), { critical: true, timeoutMs: 500 });
   */
  addDependency(name: string, check: DependencyCheck, options?: DependencyCheckOptions): this {
    if (name === hubDependencyName) {
      throw new BaseServiceError(
        "INVALID_CONFIG",
        `dependency name ${hubDependencyName} is the service's own`,
      );
    }
    this.#dependencies.add(name, check, options);
    return this;
  }

  /** Removes a dependency check; true when there was one. */
  removeDependency(name: string): boolean {
    return this.#dependencies.remove(name);
  }

  /** Runs `hook` during shutdown, after the server closed (close pools, flush queues), within the shutdown deadline. */
  onShutdown(hook: () => void | Promise<void>): this {
    this.#shutdownHooks.push(hook);
    return this;
  }

  /** Where the service is in its life. */
  state(): ServiceState {
    return this.#state;
  }

  /**
   * Where the service listens.
   * @throws BaseServiceError INVALID_STATE before `start()` has bound the port.
   */
  address(): ServiceAddress {
    if (this.#address === undefined) {
      throw new BaseServiceError("INVALID_STATE", `${this.name} is not listening (state ${this.#state})`);
    }
    return this.#address;
  }

  /** The hub registration while registered (its `instanceId`, `state()`, events); undefined otherwise. */
  registration(): Registration | undefined {
    return this.#registration;
  }

  /** The hub client: the given one, or one made from `hubUrls` on first use (closed by `stop()`). */
  get hub(): HubClient {
    if (this.#hubClient === undefined) {
      this.#hubClient = createHubClient({ ...this.#options.hubClientOptions, hubUrls: this.config.hubUrls });
      this.#ownsHubClient = true;
    }
    return this.#hubClient;
  }

  /**
   * "Where is service `name`?": discovery through the hub client, as the current request's tenant
   * (so the hub filters by its tier) unless `options.tenant` says otherwise. Then call it directly.
   * @throws HubClientError NOT_FOUND, UNAVAILABLE (a handler that lets these through answers 503).
   */
  discover(name: string, options: DiscoverOptions = {}): Promise<DiscoverResult> {
    const tenant = currentTenant();
    if (options.tenant !== undefined || tenant === undefined) return this.hub.discover(name, options);
    return this.hub.discover(name, { ...options, tenant: { ...tenant } });
  }

  /** The dynamic config last applied from the config source; undefined before the first or without a source. */
  dynamicConfig(): TConfig | undefined {
    return this.#dynamicConfig?.current();
  }

  /** The standard health report, as `GET /health` serves it (status 503 when `unhealthy`). */
  async health(): Promise<HealthReport> {
    const [dependencies, resources] = await Promise.all([this.#dependencies.run(), this.#resources.sample()]);
    const informational: Record<string, HealthStatus> = {};
    if (this.#registration !== undefined)
      informational[hubDependencyName] = hubLinkStatus(this.#registration);
    const report = buildHealthReport({
      serviceName: this.name,
      version: this.config.version,
      nowMs: this.#clock.now(),
      startedAtMs: this.#startedAt,
      performance: toHealthMetrics(this.tracker.snapshot()),
      resources,
      dependencies,
      informational,
      activeTenants: this.#activeTenants.count(),
      stopping: this.#state === "stopping" || this.#state === "stopped",
    });
    this.#healthChanges.record(report.status, dependencies);
    return report;
  }

  /**
   * Starts the service: waits for the config source's first config (and applies it), listens,
   * registers with the hub (unless `register: false`) and installs the signal handlers (unless
   * `handleSignals: false`). A failed start releases everything and leaves the service `stopped`.
   * @throws BaseServiceError CONFIG_REJECTED, LISTEN_FAILED, REGISTRATION_FAILED, INVALID_STATE (not `created`).
   */
  start(): Promise<ServiceAddress> {
    if (this.#state !== "created") {
      return Promise.reject(
        new BaseServiceError("INVALID_STATE", `${this.name} cannot start: it is ${this.#state}`),
      );
    }
    this.#state = "starting";
    this.#starting = this.#start().catch(async (error: unknown) => {
      this.logger.error({ err: error }, "start failed");
      await this.#release();
      this.#state = "stopped";
      throw error;
    });
    return this.#starting;
  }

  /**
   * Stops gracefully, within `shutdownTimeoutMs`: `/health` turns unhealthy, the instance is
   * deregistered, the server stops accepting connections, in-flight requests finish (those still
   * running at the deadline are cut off), then the shutdown hooks run. Never rejects; calling it
   * again returns the same promise. It does not exit the process (the signal handlers do).
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #start(): Promise<ServiceAddress> {
    const startedAt = this.#clock.now();
    await this.#dynamicConfig?.start(this.#startAbort.signal);
    const server = createServer(
      createRequestListener({
        router: this.#router,
        mounted: () => this.#mounted,
        logger: this.logger,
        tracker: this.tracker,
        errorDna: this.errorDna,
        activeTenants: this.#activeTenants,
        inFlight: this.#inFlight,
        errorMappers: this.#options.errorMappers,
        maxBodyBytes: this.config.maxBodyBytes,
        maxTenantIdLength: this.config.maxTenantIdLength,
        clock: this.#clock,
        stopping: () => this.#state === "stopping",
      }),
    );
    this.#server = server;
    await listen(server, this.config.port, this.config.host);
    const { port } = server.address() as AddressInfo;
    const host = this.config.host.includes(":") ? `[${this.config.host}]` : this.config.host;
    this.#address = { host: this.config.host, port, url: `http://${host}:${port}` };
    this.#startedAt = this.#clock.now();
    this.#restoreFallbackLogger = setFallbackLogger(this.logger);
    this.logger.info({ host: this.config.host, port, url: this.#address.url }, "listening");
    if (this.config.register) {
      this.#registration = await registerWithHub(this.hub, instanceRegistration(this.config, port), {
        registerTimeoutMs: this.config.registerTimeoutMs,
        heartbeatIntervalMs: this.config.heartbeatIntervalMs,
        load: this.#options.load ?? (() => this.#inFlight.size),
        log: this.logger,
        signal: this.#startAbort.signal,
      });
    }
    if (this.#options.handleSignals) {
      this.#removeSignalHandlers = installSignalHandlers((signal) => this.#onSignal(signal));
    }
    this.#state = "running";
    this.logger.info({ url: this.#address.url, startup_ms: this.#clock.now() - startedAt }, "started");
    return this.#address;
  }

  async #stop(): Promise<void> {
    if (this.#state === "starting") {
      this.#startAbort.abort(
        new BaseServiceError("INVALID_STATE", `${this.name} was stopped while starting`),
      );
      await this.#starting?.catch(() => undefined);
    }
    if (this.#state === "created" || this.#state === "stopped") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopping";
    const deadline = this.#clock.now() + this.config.shutdownTimeoutMs;
    this.logger.info(
      { in_flight: this.#inFlight.size, deadline_ms: this.config.shutdownTimeoutMs },
      "stopping",
    );
    const abandoned = await this.#release(deadline);
    this.#state = "stopped";
    this.logger.info({ abandoned_requests: abandoned }, "stopped");
  }

  /** Undoes what start did, in reverse; never throws. Returns the requests cut off at the deadline. */
  async #release(deadline = this.#clock.now() + this.config.shutdownTimeoutMs): Promise<number> {
    const remaining = () => Math.max(0, deadline - this.#clock.now());
    this.#dynamicConfig?.stop();
    // Callers are sent elsewhere first, then the requests already here are finished.
    if (this.#registration !== undefined) {
      await this.#withDeadline(this.#registration.close(), remaining(), "deregistering");
      this.#registration = undefined;
    }
    let abandoned = 0;
    if (this.#server?.listening) {
      ({ abandoned } = await closeGracefully(this.#server, this.#inFlight, remaining(), this.#clock));
      if (abandoned > 0)
        this.logger.warn({ abandoned_requests: abandoned }, "cut off requests still running at the deadline");
    }
    if (this.#ownsHubClient && this.#hubClient !== undefined) {
      await this.#withDeadline(this.#hubClient.close(), remaining(), "closing the hub client");
    }
    for (const hook of this.#shutdownHooks) {
      await this.#withDeadline(
        Promise.resolve()
          .then(hook)
          .catch((error: unknown) => this.logger.error({ err: error }, "a shutdown hook failed")),
        remaining(),
        "a shutdown hook",
      );
    }
    this.#removeSignalHandlers?.();
    this.#removeSignalHandlers = undefined;
    this.#restoreFallbackLogger?.();
    this.#restoreFallbackLogger = undefined;
    return abandoned;
  }

  async #withDeadline(work: Promise<unknown>, ms: number, what: string): Promise<void> {
    let timer: ReturnType<Clock["setTimeout"]> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = this.#clock.setTimeout(() => resolve("expired"), ms);
    });
    const outcome = await Promise.race([work.then(() => "done" as const), expired]);
    if (timer !== undefined) this.#clock.clearTimeout(timer);
    if (outcome === "expired") this.logger.warn(`${what} did not finish within the shutdown deadline`);
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#stopping !== undefined) {
      this.logger.warn({ signal }, "second signal during shutdown; exiting now");
      this.#options.exit(1);
      return;
    }
    this.logger.info({ signal }, "signal received; shutting down");
    void this.stop().then(() => {
      // Let the process end by itself, so that writes still in flight (pino writes stdout
      // asynchronously: the last log lines) complete; exit anyway after a grace period, since
      // something the service's own code started may keep the event loop alive.
      process.exitCode = 0;
      setTimeout(() => this.#options.exit(0), exitGraceMs).unref();
    });
  }

  #addInternalRoutes(): void {
    this.#router.add("GET", this.config.healthEndpoint, {
      internal: true,
      handler: async () => {
        const report = await this.health();
        return rawReply(report, {
          status: report.status === "unhealthy" ? 503 : 200,
          headers: { "cache-control": "no-store" },
        });
      },
    });
    const metricsEndpoint = this.config.metricsEndpoint;
    if (metricsEndpoint !== null) {
      this.#router.add("GET", metricsEndpoint, {
        internal: true,
        handler: async () => {
          this.#exporter ??= createPrometheusExporter(this.tracker);
          return rawReply(await this.#exporter.metrics(), {
            headers: { "content-type": this.#exporter.contentType },
          });
        },
      });
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new BaseServiceError(
          "LISTEN_FAILED",
          `cannot listen on ${host}:${port} (${error.code ?? error.message})`,
          {
            cause: error,
          },
        ),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}
