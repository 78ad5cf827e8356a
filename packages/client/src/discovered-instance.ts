import {
  type Endpoint,
  Protocol as ProtoProtocol,
  InstanceStatus as ProtoStatus,
  type ServiceInstance,
} from "@hub/proto";
import type { InstanceProtocol } from "./options.js";
import type { Selectable } from "./selection.js";

/** What discovery filters on. `unknown`: no health check has decided yet. */
export type InstanceStatus = "healthy" | "degraded" | "unhealthy" | "unknown";

/** One instance of a service, as discovery reports it. */
export interface DiscoveredInstance extends Selectable {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: InstanceProtocol;
  /** `"protocol://host:port"`, ready to call. */
  readonly url: string;
  readonly status: InstanceStatus;
  /** Why the status is what it is (the last check's message); `""` in a direct Discover answer. */
  readonly statusMessage: string;
  readonly load: number;
  readonly weight: number;
  readonly zone: string;
  /** `""` in a direct Discover answer, which does not carry it. */
  readonly version: string;
  /** Empty in a direct Discover answer, which does not carry it. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Empty in a direct Discover answer, which does not carry it. */
  readonly tags: readonly string[];
}

const statusFromProto: Readonly<Record<ProtoStatus, InstanceStatus>> = {
  [ProtoStatus.UNSPECIFIED]: "unknown",
  [ProtoStatus.HEALTHY]: "healthy",
  [ProtoStatus.DEGRADED]: "degraded",
  [ProtoStatus.UNHEALTHY]: "unhealthy",
  [ProtoStatus.UNKNOWN]: "unknown",
};

const protocolFromProto: Readonly<Record<ProtoProtocol, InstanceProtocol>> = {
  [ProtoProtocol.UNSPECIFIED]: "http",
  [ProtoProtocol.HTTP]: "http",
  [ProtoProtocol.HTTPS]: "https",
  [ProtoProtocol.GRPC]: "grpc",
  [ProtoProtocol.H2C]: "h2c",
  [ProtoProtocol.TCP]: "tcp",
};

/** The hub's order: healthy first, then degraded, unknown, unhealthy. */
const statusRank: Readonly<Record<InstanceStatus, number>> = {
  healthy: 0,
  degraded: 1,
  unknown: 2,
  unhealthy: 3,
};

/**
 * Orders instances as the hub's registry view does: by status rank, then by id, so that
 * round-robin cursors walk the same list on the hub and in the cache.
 * @internal
 */
export function compareInstances(a: DiscoveredInstance, b: DiscoveredInstance): number {
  return statusRank[a.status] - statusRank[b.status] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** An instance from the watch stream (snapshot or upsert). @internal */
export function instanceFromProto(
  name: string,
  instance: ServiceInstance,
  id = instance.spec?.id ?? "",
): DiscoveredInstance {
  const spec = instance.spec;
  return {
    id,
    name: spec?.name || name,
    host: spec?.host ?? "",
    port: spec?.port ?? 0,
    protocol: protocolFromProto[spec?.protocol ?? ProtoProtocol.UNSPECIFIED] ?? "http",
    url: instance.endpoint,
    status: statusFromProto[instance.status] ?? "unknown",
    statusMessage: instance.statusMessage,
    load: instance.load,
    weight: spec?.weight ?? 0,
    zone: spec?.zone ?? "",
    version: spec?.version ?? "",
    metadata: { ...spec?.metadata },
    tags: [...(spec?.tags ?? [])],
  };
}

/** An endpoint from a direct Discover answer, which carries fewer facts than the watch. @internal */
export function instanceFromEndpoint(name: string, endpoint: Endpoint): DiscoveredInstance {
  return {
    id: endpoint.instanceId,
    name,
    host: endpoint.host,
    port: endpoint.port,
    protocol: protocolFromProto[endpoint.protocol] ?? "http",
    url: endpoint.url,
    status: statusFromProto[endpoint.status] ?? "unknown",
    statusMessage: "",
    load: endpoint.load,
    weight: endpoint.weight,
    zone: endpoint.zone,
    version: "",
    metadata: {},
    tags: [],
  };
}
