import { create } from "@bufbuild/protobuf";
import { durationFromMs, durationMs, timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type CheckResult,
  CheckResultSchema,
  type DiscoverResponse,
  DiscoverResponseSchema,
  type Endpoint,
  EndpointSchema,
  type InstanceSpec,
  InstanceSpecSchema,
  InstanceStatus as ProtoStatus,
  Protocol as ProtoProtocol,
  SelectionStrategy as ProtoStrategy,
  type Service,
  ServiceSchema,
  type ServiceInstance,
  ServiceInstanceSchema,
  SubscriptionTier as ProtoTier,
  InstanceChange_Kind,
  type WatchServicesResponse,
  WatchServicesResponseSchema,
} from "@hub/proto";
import type { DiscoveryResult } from "../../discovery/discover.js";
import type { RegistryWatchEvent } from "../registry-watch.js";
import type { SelectionStrategy } from "@hub/client";
import type { Instance, InstanceStatus, Protocol, Tier } from "../../registry/instance.js";
import type { InstanceInput } from "../../registry/instance-input.js";
import type { ServiceSummary } from "../service-summary.js";

const protocolToProto: Record<Protocol, ProtoProtocol> = {
  http: ProtoProtocol.HTTP,
  https: ProtoProtocol.HTTPS,
  grpc: ProtoProtocol.GRPC,
  h2c: ProtoProtocol.H2C,
  tcp: ProtoProtocol.TCP,
};
const protocolFromProto: Partial<Record<ProtoProtocol, Protocol>> = Object.fromEntries(
  Object.entries(protocolToProto).map(([k, v]) => [v, k as Protocol]),
);
const tierToProto: Record<Tier, ProtoTier> = {
  free: ProtoTier.FREE,
  pro: ProtoTier.PRO,
  enterprise: ProtoTier.ENTERPRISE,
};
const statusToProto: Record<InstanceStatus, ProtoStatus> = {
  healthy: ProtoStatus.HEALTHY,
  degraded: ProtoStatus.DEGRADED,
  unhealthy: ProtoStatus.UNHEALTHY,
  unknown: ProtoStatus.UNKNOWN,
};

export function statusToProtoEnum(status: InstanceStatus): ProtoStatus {
  return statusToProto[status];
}

/** A proto registration into the hub's input form; enum values the hub does not know pass through as text so validation names them. */
export function instanceInputFromProto(spec: InstanceSpec | undefined): InstanceInput {
  if (!spec) return {};
  const hc = spec.healthCheck;
  return {
    id: spec.id || undefined,
    name: spec.name,
    host: spec.host,
    port: spec.port,
    protocol:
      spec.protocol === ProtoProtocol.UNSPECIFIED
        ? undefined
        : (protocolFromProto[spec.protocol] ?? `enum value ${spec.protocol}`),
    healthEndpoint: spec.healthEndpoint || undefined,
    version: spec.version || undefined,
    zone: spec.zone || undefined,
    weight: spec.weight || undefined,
    metadata: spec.metadata,
    tags: spec.tags,
    tenantCapable: spec.tenantCapable,
    subscriptionRequirements: spec.subscriptionRequirements.map(
      (t) => (Object.entries(tierToProto).find(([, v]) => v === t)?.[0] ?? `enum value ${t}`) as string,
    ),
    resourceTier: spec.resourceTier || undefined,
    healthCheck: hc
      ? {
          disabled: hc.disabled,
          intervalMs: hc.interval ? durationMs(hc.interval) : undefined,
          timeoutMs: hc.timeout ? durationMs(hc.timeout) : undefined,
          rise: hc.rise || undefined,
          fall: hc.fall || undefined,
          grpcService: hc.grpcService || undefined,
        }
      : undefined,
    ttlMs: spec.ttl ? durationMs(spec.ttl) : undefined,
    deregisterCriticalAfterMs: spec.deregisterCriticalAfter
      ? durationMs(spec.deregisterCriticalAfter)
      : undefined,
  };
}

export function strategyFromProto(strategy: ProtoStrategy): SelectionStrategy | undefined {
  switch (strategy) {
    case ProtoStrategy.ROUND_ROBIN:
      return "round_robin";
    case ProtoStrategy.WEIGHTED:
      return "weighted";
    case ProtoStrategy.LEAST_LOAD:
      return "least_load";
    default:
      return undefined;
  }
}

export function instanceToProto(instance: Instance): ServiceInstance {
  const r = instance.record;
  const spec: InstanceSpec = create(InstanceSpecSchema, {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    protocol: protocolToProto[r.protocol],
    healthEndpoint: r.healthEndpoint,
    version: r.version,
    zone: r.zone,
    weight: r.weight,
    metadata: { ...r.metadata },
    tags: [...r.tags],
    tenantCapable: r.tenantCapable,
    subscriptionRequirements: r.subscriptionRequirements.map((t) => tierToProto[t]),
    resourceTier: r.resourceTier,
    healthCheck: {
      disabled: r.healthCheck.disabled,
      interval: durationFromMs(r.healthCheck.intervalMs),
      timeout: durationFromMs(r.healthCheck.timeoutMs),
      rise: r.healthCheck.rise,
      fall: r.healthCheck.fall,
      grpcService: r.healthCheck.grpcService,
    },
    ttl: durationFromMs(r.ttlMs),
    deregisterCriticalAfter: durationFromMs(r.deregisterCriticalAfterMs),
  });
  return create(ServiceInstanceSchema, {
    spec,
    status: statusToProto[instance.status],
    statusMessage: instance.statusMessage,
    load: instance.load,
    registeredAt: timestampFromMs(r.registeredAt),
    leaseExpiresAt: timestampFromMs(instance.leaseExpiresAt),
    endpoint: instance.endpoint,
    ...(instance.lastHeartbeatAt === undefined
      ? {}
      : { lastHeartbeatAt: timestampFromMs(instance.lastHeartbeatAt) }),
    ...(instance.lastCheck === undefined ? {} : { lastCheck: checkToProto(instance) }),
  });
}

function checkToProto(instance: Instance): CheckResult {
  const check = instance.lastCheck!;
  return create(CheckResultSchema, {
    passing: check.passing,
    reportedStatus: statusToProto[check.reportedStatus],
    message: check.message,
    latency: durationFromMs(check.latencyMs),
    checkedAt: timestampFromMs(check.checkedAt),
    consecutiveSuccesses: check.consecutiveSuccesses,
    consecutiveFailures: check.consecutiveFailures,
  });
}

export function serviceToProto(summary: ServiceSummary): Service {
  return create(ServiceSchema, {
    name: summary.name,
    instances: summary.instances.map(instanceToProto),
    healthyCount: summary.healthyCount,
    status: statusToProto[summary.status],
    subscriptionRequirements: summary.subscriptionRequirements.map((t) => tierToProto[t]),
  });
}

export function endpointToProto(instance: Instance): Endpoint {
  const r = instance.record;
  return create(EndpointSchema, {
    instanceId: r.id,
    host: r.host,
    port: r.port,
    protocol: protocolToProto[r.protocol],
    url: instance.endpoint,
    status: statusToProto[instance.status],
    load: instance.load,
    zone: r.zone,
    weight: r.weight,
  });
}

export function discoveryToProto(result: DiscoveryResult): DiscoverResponse {
  return create(DiscoverResponseSchema, {
    serviceName: result.serviceName,
    recommendedEndpoint: result.recommended?.endpoint ?? "",
    allHealthyEndpoints: result.healthy.map((i) => i.endpoint),
    confidence: result.confidence,
    connectionType: "direct_call",
    endpoints: result.instances.map(endpointToProto),
    healthyAvailable: result.healthyAvailable,
    message: result.message,
    ...(result.recommended ? { recommended: endpointToProto(result.recommended) } : {}),
  });
}

/** One watch event as WatchServices sends it. */
export function watchEventToProto(event: RegistryWatchEvent): WatchServicesResponse {
  const revision = BigInt(event.revision);
  switch (event.type) {
    case "snapshot":
      return create(WatchServicesResponseSchema, {
        revision,
        event: { case: "snapshot", value: { services: event.services.map(serviceToProto) } },
      });
    case "upsert":
      return create(WatchServicesResponseSchema, {
        revision,
        event: {
          case: "change",
          value: {
            kind: InstanceChange_Kind.UPSERT,
            name: event.instance.record.name,
            instanceId: event.instance.record.id,
            instance: instanceToProto(event.instance),
          },
        },
      });
    case "delete":
      return create(WatchServicesResponseSchema, {
        revision,
        event: {
          case: "change",
          value: { kind: InstanceChange_Kind.DELETE, name: event.name, instanceId: event.id },
        },
      });
  }
}
