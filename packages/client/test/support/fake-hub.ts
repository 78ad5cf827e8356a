import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createRouterTransport,
  type Transport,
} from "@connectrpc/connect";
import {
  DiscoverResponseSchema,
  DiscoveryService,
  EndpointSchema,
  Health,
  HealthCheckResponse_ServingStatus,
  type InstanceChange,
  InstanceChange_Kind,
  InstanceChangeSchema,
  type InstanceSpec,
  InstanceStatus,
  RegistryService,
  type ServiceInstance,
  ServiceInstanceSchema,
  ServiceSchema,
  type WatchServicesRequest,
  type WatchServicesResponse,
  WatchServicesResponseSchema,
} from "@hub/proto";

/** What one fake hub saw of a call. */
export interface RecordedCall {
  readonly method: string;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly input: unknown;
}

/**
 * The shared state of fake hubs, standing in for the store several hub replicas share: instances,
 * a revision counter and a change history that watchers may resume from.
 */
export class FakeRegistry {
  revision = 0;
  /** Resuming from below this revision gets a snapshot, as when the hub's history is exhausted. */
  floor = 0;
  readonly instances = new Map<string, ServiceInstance>();
  readonly history: Array<{ readonly revision: number; readonly change: InstanceChange }> = [];
  readonly listeners = new Set<(message: WatchServicesResponse) => void>();
  /** Lease granted when a registration asks for none. */
  defaultTtlMs = 30_000;
  /** When set, Register fails with this error (in the protocol, as the hub would send it). */
  rejectRegister: ConnectError | undefined;

  register(spec: InstanceSpec): ServiceInstance {
    if (this.rejectRegister) throw this.rejectRegister;
    const id = spec.id || `${spec.host}-${spec.port}`;
    const previous = this.instances.get(`${spec.name}/${id}`);
    const instance = create(ServiceInstanceSchema, {
      spec: { ...spec, id, weight: spec.weight || 100, ttl: spec.ttl ?? durationFromMs(this.defaultTtlMs) },
      status: spec.healthCheck?.disabled ? InstanceStatus.HEALTHY : InstanceStatus.UNKNOWN,
      load: previous?.load ?? 0,
      endpoint: `http://${spec.host}:${spec.port}`,
    });
    this.#upsert(instance);
    return instance;
  }

  heartbeat(name: string, id: string, load: number): void {
    const instance = this.instances.get(`${name}/${id}`);
    if (instance === undefined)
      throw new ConnectError(`instance ${id} of service ${name} is not registered`, Code.NotFound);
    // Like the hub: load is an in-memory fact, not a change watchers are told about.
    instance.load = load;
  }

  deregister(name: string, id: string): void {
    if (!this.instances.delete(`${name}/${id}`)) {
      throw new ConnectError(`instance ${id} of service ${name} is not registered`, Code.NotFound);
    }
    this.#publish(create(InstanceChangeSchema, { kind: InstanceChange_Kind.DELETE, name, instanceId: id }));
  }

  setStatus(name: string, id: string, status: InstanceStatus, message = ""): void {
    const instance = this.instances.get(`${name}/${id}`);
    if (instance === undefined) throw new Error(`no instance ${name}/${id}`);
    this.#upsert(create(ServiceInstanceSchema, { ...instance, status, statusMessage: message }));
  }

  /** Forgets everything, as a hub restarted on a fresh store: revisions start over. */
  wipe(): void {
    this.instances.clear();
    this.history.length = 0;
    this.revision = 0;
    this.floor = 0;
  }

  snapshot(names: readonly string[]): WatchServicesResponse {
    const byName = new Map<string, ServiceInstance[]>();
    for (const instance of this.instances.values()) {
      const name = instance.spec!.name;
      if (names.length > 0 && !names.includes(name)) continue;
      byName.set(name, [...(byName.get(name) ?? []), instance]);
    }
    const services = [...byName].map(([name, instances]) => create(ServiceSchema, { name, instances }));
    return create(WatchServicesResponseSchema, {
      revision: BigInt(this.revision),
      event: { case: "snapshot", value: { services } },
    });
  }

  /** Changes after `revision`, or undefined when they are not all kept any more. */
  changesSince(revision: number): WatchServicesResponse[] | undefined {
    if (revision < this.floor || revision > this.revision) return undefined;
    return this.history
      .filter((entry) => entry.revision > revision)
      .map((entry) => changeMessage(entry.revision, entry.change));
  }

  #upsert(instance: ServiceInstance): void {
    const spec = instance.spec!;
    this.instances.set(`${spec.name}/${spec.id}`, instance);
    this.#publish(
      create(InstanceChangeSchema, {
        kind: InstanceChange_Kind.UPSERT,
        name: spec.name,
        instanceId: spec.id,
        instance,
      }),
    );
  }

  #publish(change: InstanceChange): void {
    this.revision++;
    this.history.push({ revision: this.revision, change });
    const message = changeMessage(this.revision, change);
    for (const listener of this.listeners) listener(message);
  }
}

function changeMessage(revision: number, change: InstanceChange): WatchServicesResponse {
  return create(WatchServicesResponseSchema, {
    revision: BigInt(revision),
    event: { case: "change", value: change },
  });
}

function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

interface OpenStream {
  push(message: WatchServicesResponse): void;
  fail(error: ConnectError): void;
}

/** One fake hub replica: the Connect services over an in-memory transport, with a switch to take it down. */
export class FakeHub {
  readonly calls: RecordedCall[] = [];
  readonly watchRequests: WatchServicesRequest[] = [];
  /** While true, every call fails as a refused connection does (not in the protocol). */
  down = false;
  healthStatus = HealthCheckResponse_ServingStatus.SERVING;
  /** While true, watch streams stay silent: no snapshot, no changes (as a hub that is slow to answer). */
  silentWatch = false;
  readonly transport: Transport;
  readonly #streams = new Set<OpenStream>();

  constructor(
    readonly url: string,
    readonly registry: FakeRegistry = new FakeRegistry(),
  ) {
    const inner = createRouterTransport((router) => this.#routes(router));
    const refuseIfDown = () => {
      if (this.down) throw new ConnectError(`connect ECONNREFUSED ${new URL(url).host}`, Code.Unavailable);
    };
    this.transport = {
      unary: async (method, signal, timeoutMs, header, input, contextValues) => {
        this.calls.push({ method: method.name, headers: headerRecord(header), input });
        refuseIfDown();
        return inner.unary(method, signal, timeoutMs, header, input, contextValues);
      },
      stream: async (method, signal, timeoutMs, header, input, contextValues) => {
        this.calls.push({ method: method.name, headers: headerRecord(header), input: undefined });
        refuseIfDown();
        return inner.stream(method, signal, timeoutMs, header, input, contextValues);
      },
    };
  }

  /** Takes the hub down (open streams break) or brings it back. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) this.breakStreams();
  }

  /** Breaks every open watch stream, as a killed process does. */
  breakStreams(): void {
    for (const stream of this.#streams) stream.fail(new ConnectError("connection reset", Code.Unavailable));
  }

  /** Watch streams currently open. */
  openStreams(): number {
    return this.#streams.size;
  }

  /** Calls of one method. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  #routes(router: ConnectRouter): void {
    const registry = this.registry;
    router.service(RegistryService, {
      register: (request) => ({ instance: registry.register(request.instance!) }),
      heartbeat: (request) => {
        registry.heartbeat(request.name, request.instanceId, request.load);
        return {};
      },
      deregister: (request) => {
        registry.deregister(request.name, request.instanceId);
        return {};
      },
    });
    router.service(Health, {
      check: () => ({ status: this.healthStatus }),
    });
    const streams = this.#streams;
    const watchRequests = this.watchRequests;
    const silent = () => this.silentWatch;
    router.service(DiscoveryService, {
      discover: (request) => {
        const instances = [...registry.instances.values()].filter((i) => i.spec!.name === request.name);
        if (instances.length === 0)
          throw new ConnectError(`service ${request.name} is not registered`, Code.NotFound);
        const endpoints = instances.map((i) =>
          create(EndpointSchema, {
            instanceId: i.spec!.id,
            host: i.spec!.host,
            port: i.spec!.port,
            url: i.endpoint,
            status: i.status,
            load: i.load,
            weight: i.spec!.weight,
          }),
        );
        const healthy = endpoints.filter((e) => e.status === InstanceStatus.HEALTHY);
        return create(DiscoverResponseSchema, {
          serviceName: request.name,
          recommended: healthy[0] ?? endpoints[0],
          recommendedEndpoint: (healthy[0] ?? endpoints[0])!.url,
          allHealthyEndpoints: healthy.map((e) => e.url),
          endpoints,
          healthyAvailable: healthy.length > 0,
          confidence: healthy.length > 0 ? 1 : 0.3,
          connectionType: "direct_call",
        });
      },
      async *watchServices(request, context) {
        watchRequests.push(request);
        const inbox: WatchServicesResponse[] = [];
        let failure: ConnectError | undefined;
        let wake: (() => void) | undefined;
        const stream: OpenStream = {
          push(message) {
            inbox.push(message);
            wake?.();
          },
          fail(error) {
            failure = error;
            wake?.();
          },
        };
        streams.add(stream);
        registry.listeners.add(stream.push);
        try {
          const from = Number(request.fromRevision);
          const missed = from > 0 ? registry.changesSince(from) : undefined;
          inbox.unshift(...(missed ?? [registry.snapshot(request.names)]));
          for (;;) {
            if (failure) throw failure;
            if (context.signal.aborted) return;
            const next = silent() ? undefined : inbox.shift();
            if (next) {
              yield next;
              continue;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
              context.signal.addEventListener("abort", () => resolve(), { once: true });
            });
          }
        } finally {
          streams.delete(stream);
          registry.listeners.delete(stream.push);
        }
      },
    });
  }
}
