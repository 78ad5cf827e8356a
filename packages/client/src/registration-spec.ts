import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs, durationMs } from "@bufbuild/protobuf/wkt";
import {
  type InstanceSpecSchema,
  Protocol as ProtoProtocol,
  SubscriptionTier as ProtoTier,
  type ServiceInstance,
} from "@hub/proto";
import type { InstanceProtocol, InstanceRegistration, SubscriptionTier } from "./options.js";

const protocolToProto: Readonly<Record<InstanceProtocol, ProtoProtocol>> = {
  http: ProtoProtocol.HTTP,
  https: ProtoProtocol.HTTPS,
  grpc: ProtoProtocol.GRPC,
  h2c: ProtoProtocol.H2C,
  tcp: ProtoProtocol.TCP,
};

const tierToProto: Readonly<Record<SubscriptionTier, ProtoTier>> = {
  free: ProtoTier.FREE,
  pro: ProtoTier.PRO,
  enterprise: ProtoTier.ENTERPRISE,
};

/**
 * The proto `InstanceSpec` for a registration. `id` overrides the registration's own, so a
 * re-registration keeps the id the hub assigned the first time.
 * @internal
 */
export function instanceSpecFromRegistration(
  registration: InstanceRegistration,
  id: string | undefined,
): MessageInitShape<typeof InstanceSpecSchema> {
  const r = registration;
  const hc = r.healthCheck;
  return {
    id: id ?? r.id ?? "",
    name: r.name,
    host: r.host,
    port: r.port,
    protocol: r.protocol === undefined ? ProtoProtocol.UNSPECIFIED : protocolToProto[r.protocol],
    healthEndpoint: r.healthEndpoint ?? "",
    version: r.version ?? "",
    zone: r.zone ?? "",
    weight: r.weight ?? 0,
    metadata: { ...r.metadata },
    tags: [...(r.tags ?? [])],
    tenantCapable: r.tenantCapable ?? false,
    subscriptionRequirements: (r.subscriptionRequirements ?? []).map((tier) => tierToProto[tier]),
    resourceTier: r.resourceTier ?? "",
    ...(hc === undefined
      ? {}
      : {
          healthCheck: {
            disabled: hc.disabled ?? false,
            ...(hc.intervalMs === undefined ? {} : { interval: durationFromMs(hc.intervalMs) }),
            ...(hc.timeoutMs === undefined ? {} : { timeout: durationFromMs(hc.timeoutMs) }),
            rise: hc.rise ?? 0,
            fall: hc.fall ?? 0,
            grpcService: hc.grpcService ?? "",
          },
        }),
    ...(r.ttlMs === undefined ? {} : { ttl: durationFromMs(r.ttlMs) }),
    ...(r.deregisterCriticalAfterMs === undefined
      ? {}
      : { deregisterCriticalAfter: durationFromMs(r.deregisterCriticalAfterMs) }),
  };
}

/** The lease TTL the hub granted, from its answer to Register; undefined when it sent none. @internal */
export function grantedTtlMs(instance: ServiceInstance | undefined): number | undefined {
  const ttl = instance?.spec?.ttl;
  if (ttl === undefined) return undefined;
  const ms = durationMs(ttl);
  return ms > 0 ? ms : undefined;
}
