import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { RegistryService, type ServiceInstance } from "@hub/proto";
import { backoffDelay, jitteredInterval } from "./backoff.js";
import type { Clock, TimerHandle } from "./clock.js";
import { type DiscoveredInstance, instanceFromProto } from "./discovered-instance.js";
import type { EventBus, HubClientEvent, HubClientEventSource } from "./events.js";
import { HubClientError, isHubClientError } from "./hub-client-error.js";
import type { HubEndpoint, HubPool } from "./hub-pool.js";
import type { InstanceRegistration, ResolvedBackoffOptions, ResolvedRegisterOptions } from "./options.js";
import { grantedTtlMs, instanceSpecFromRegistration } from "./registration-spec.js";
import { tenantHeaders } from "./tenant-headers.js";

/** Where a registration stands. */
export interface RegistrationState {
  /** `active`: the last heartbeat or registration worked; `retrying`: the last one failed; `closed`. */
  readonly status: "active" | "retrying" | "closed";
  /** Heartbeats or re-registrations failed in a row. */
  readonly consecutiveFailures: number;
  /** Clock time of the last heartbeat or registration the hub accepted. */
  readonly lastHeartbeatAt: number;
  /** The hub that accepted it. */
  readonly hubUrl: string;
}

/** A registered instance that heartbeats in the background until `close()`. */
export interface Registration extends HubClientEventSource {
  readonly name: string;
  /** The id the hub gave the instance (the registration's own, or one derived from host and port). */
  readonly instanceId: string;
  /** The instance as the hub last accepted it. */
  readonly instance: DiscoveredInstance;
  /** The lease TTL the hub granted, in ms. */
  readonly leaseTtlMs: number;
  /** Time between heartbeats (before jitter), in ms. */
  readonly heartbeatIntervalMs: number;
  state(): RegistrationState;
  /**
   * Stops heartbeating and deregisters the instance. Never rejects: when no hub answers, it
   * reports `deregister_failed` and the lease expires on its own. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** What a registration needs from its client. @internal */
export interface RegistrationSettings {
  readonly pool: HubPool;
  readonly clock: Clock;
  readonly random: () => number;
  readonly backoff: ResolvedBackoffOptions;
  readonly heartbeatsPerTtl: number;
  readonly heartbeatJitter: number;
  /** The client's bus: every registration event is also reported there. */
  readonly events: EventBus;
  /** Fires when the client closes. */
  readonly closing: AbortSignal;
}

// The hub's own default, for the unlikely answer that carries no TTL.
const fallbackTtlMs = 30_000;

/** The hub's answer to Register, and which hub gave it. @internal */
export interface Accepted {
  readonly instance: ServiceInstance;
  readonly endpoint: HubEndpoint;
}

/**
 * One Register call, failing over between hubs; `id` pins the id the hub gave the first time.
 * @internal
 */
export async function registerInstance(
  pool: HubPool,
  registration: InstanceRegistration,
  id: string | undefined,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Accepted> {
  const { value, endpoint } = await pool.call(
    (hub, callOptions) =>
      createClient(RegistryService, hub.transport).register(
        { instance: instanceSpecFromRegistration(registration, id) },
        callOptions,
      ),
    { label: `Register(${registration.name})`, signal, headers },
  );
  if (value.instance === undefined) {
    throw new HubClientError(
      "UNAVAILABLE",
      `the hub answered Register(${registration.name}) without the instance`,
    );
  }
  return { instance: value.instance, endpoint };
}

/** What an accepted registration starts from. @internal */
export interface ActiveRegistrationParts {
  readonly settings: RegistrationSettings;
  readonly registration: InstanceRegistration;
  readonly options: ResolvedRegisterOptions;
  readonly accepted: Accepted;
  /** The registration's own bus, forwarding to the client's. */
  readonly bus: EventBus;
  /** Aborted when the registration stops: ends an in-flight heartbeat. */
  readonly lifetime: AbortController;
  /** Tells the client to forget the registration once it has closed. */
  readonly onClosed: (registration: Registration) => void;
}

/**
 * A registration the hub has accepted: heartbeats on the clock, re-registers on NotFound, backs off
 * while no hub answers, and deregisters on close.
 * @internal
 */
export class ActiveRegistration implements Registration {
  readonly name: string;
  readonly instanceId: string;
  instance: DiscoveredInstance;
  leaseTtlMs: number;
  heartbeatIntervalMs: number;

  readonly #settings: RegistrationSettings;
  readonly #registration: InstanceRegistration;
  readonly #options: ResolvedRegisterOptions;
  readonly #bus: EventBus;
  readonly #lifetime: AbortController;
  readonly #headers: Record<string, string>;
  readonly #onClosed: (registration: Registration) => void;
  readonly #onClientClosing = () => this.#stop();
  #timer: TimerHandle | undefined;
  #failures = 0;
  #needsRegister = false;
  #lastLoad = 0;
  #lastHeartbeatAt: number;
  #hubUrl: string;
  #closed: Promise<void> | undefined;

  constructor(parts: ActiveRegistrationParts) {
    const { settings, registration, options, accepted, bus, lifetime, onClosed } = parts;
    this.#settings = settings;
    this.#registration = registration;
    this.#options = options;
    this.#bus = bus;
    this.#lifetime = lifetime;
    this.#onClosed = onClosed;
    this.#headers = tenantHeaders(options.tenant);
    this.name = registration.name;
    this.instanceId = accepted.instance.spec?.id || registration.id || "";
    this.instance = instanceFromProto(this.name, accepted.instance);
    this.leaseTtlMs = grantedTtlMs(accepted.instance) ?? fallbackTtlMs;
    this.heartbeatIntervalMs = this.#intervalFor(this.leaseTtlMs);
    this.#lastHeartbeatAt = settings.clock.now();
    this.#hubUrl = accepted.endpoint.url;
    // The client closing ends heartbeats at once; its close() deregisters every registration itself.
    settings.closing.addEventListener("abort", this.#onClientClosing, { once: true });
    bus.emit({
      type: "registered",
      name: this.name,
      instanceId: this.instanceId,
      hubUrl: this.#hubUrl,
      leaseTtlMs: this.leaseTtlMs,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
    });
    this.#schedule(this.#nextInterval());
  }

  on: Registration["on"] = (type, listener) => this.#bus.on(type, listener);

  state(): RegistrationState {
    return {
      status: this.#closed !== undefined ? "closed" : this.#failures > 0 ? "retrying" : "active",
      consecutiveFailures: this.#failures,
      lastHeartbeatAt: this.#lastHeartbeatAt,
      hubUrl: this.#hubUrl,
    };
  }

  close(): Promise<void> {
    this.#closed ??= this.#deregister();
    return this.#closed;
  }

  #intervalFor(ttlMs: number): number {
    return (
      this.#options.heartbeatIntervalMs ?? Math.max(1, Math.floor(ttlMs / this.#settings.heartbeatsPerTtl))
    );
  }

  #nextInterval(): number {
    return jitteredInterval(this.heartbeatIntervalMs, this.#settings.heartbeatJitter, this.#settings.random);
  }

  /** Backoff while failing, but never slower than the heartbeat interval: a hub that comes back must hear from us within a lease. */
  #retryDelay(): number {
    return Math.min(
      backoffDelay(this.#failures, this.#settings.backoff, this.#settings.random),
      this.heartbeatIntervalMs,
    );
  }

  #schedule(delayMs: number): void {
    if (this.#lifetime.signal.aborted) return;
    this.#timer = this.#settings.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#tick();
    }, delayMs);
  }

  #stop(): void {
    this.#settings.closing.removeEventListener("abort", this.#onClientClosing);
    this.#lifetime.abort();
    if (this.#timer !== undefined) this.#settings.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#needsRegister) {
      await this.#reRegister();
      return;
    }
    const load = await this.#readLoad();
    if (this.#lifetime.signal.aborted) return;
    try {
      const { endpoint } = await this.#settings.pool.call(
        (hub, callOptions) =>
          createClient(RegistryService, hub.transport).heartbeat(
            { name: this.name, instanceId: this.instanceId, load },
            callOptions,
          ),
        {
          label: `Heartbeat(${this.name}/${this.instanceId})`,
          signal: this.#lifetime.signal,
          headers: this.#headers,
        },
      );
      this.#accepted(endpoint);
      this.#bus.emit({
        type: "heartbeat",
        name: this.name,
        instanceId: this.instanceId,
        hubUrl: endpoint.url,
        load,
      });
      this.#schedule(this.#nextInterval());
    } catch (caught) {
      if (this.#lifetime.signal.aborted) return;
      const error = ConnectError.from(caught);
      if (error.code === Code.NotFound && !isHubClientError(caught)) {
        // The hub forgot the instance (fresh store, or the lease lapsed and it was removed): register again now.
        await this.#reRegister();
        return;
      }
      this.#failures++;
      const retryInMs = this.#retryDelay();
      this.#bus.emit({
        type: "heartbeat_failed",
        name: this.name,
        instanceId: this.instanceId,
        error,
        consecutiveFailures: this.#failures,
        retryInMs,
      });
      this.#schedule(retryInMs);
    }
  }

  async #reRegister(): Promise<void> {
    this.#needsRegister = true;
    try {
      const accepted = await registerInstance(
        this.#settings.pool,
        this.#registration,
        this.instanceId,
        this.#headers,
        this.#lifetime.signal,
      );
      this.#needsRegister = false;
      this.instance = instanceFromProto(this.name, accepted.instance);
      this.leaseTtlMs = grantedTtlMs(accepted.instance) ?? this.leaseTtlMs;
      this.heartbeatIntervalMs = this.#intervalFor(this.leaseTtlMs);
      this.#accepted(accepted.endpoint);
      this.#bus.emit({
        type: "re_registered",
        name: this.name,
        instanceId: this.instanceId,
        hubUrl: accepted.endpoint.url,
      });
      this.#schedule(this.#nextInterval());
    } catch (caught) {
      if (this.#lifetime.signal.aborted) return;
      this.#failures++;
      const retryInMs = this.#retryDelay();
      this.#bus.emit({
        type: "register_failed",
        name: this.name,
        instanceId: this.instanceId,
        error: ConnectError.from(caught),
        consecutiveFailures: this.#failures,
        retryInMs,
      });
      this.#schedule(retryInMs);
    }
  }

  #accepted(endpoint: HubEndpoint): void {
    this.#failures = 0;
    this.#lastHeartbeatAt = this.#settings.clock.now();
    this.#hubUrl = endpoint.url;
  }

  /** The load callback's answer; a throwing or nonsensical callback keeps the last good value. */
  async #readLoad(): Promise<number> {
    const read = this.#options.load;
    if (read === null) return 0;
    try {
      const load = await read();
      if (Number.isFinite(load) && load >= 0) this.#lastLoad = load;
    } catch {
      // A failing load probe must not cost the lease: report the last good figure instead.
    }
    return this.#lastLoad;
  }

  async #deregister(): Promise<void> {
    this.#stop();
    const event: Pick<HubClientEvent & { type: "deregistered" }, "name" | "instanceId"> = {
      name: this.name,
      instanceId: this.instanceId,
    };
    try {
      await this.#settings.pool.call(
        (hub, callOptions) =>
          createClient(RegistryService, hub.transport).deregister(
            { name: this.name, instanceId: this.instanceId },
            callOptions,
          ),
        { label: `Deregister(${this.name}/${this.instanceId})`, signal: null, headers: this.#headers },
      );
      this.#bus.emit({ type: "deregistered", ...event });
    } catch (caught) {
      const error = ConnectError.from(caught);
      // NotFound: already gone (expired, or a hub restarted on a fresh store), which is what close() wants.
      if (error.code === Code.NotFound && !isHubClientError(caught)) {
        this.#bus.emit({ type: "deregistered", ...event });
      } else {
        this.#bus.emit({ type: "deregister_failed", ...event, error });
      }
    } finally {
      this.#onClosed(this);
    }
  }
}
