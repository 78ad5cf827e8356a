/** Transport an instance speaks; also decides how the hub probes it. */
export type Protocol = "http" | "https" | "grpc" | "h2c" | "tcp";
export const protocols: readonly Protocol[] = ["http", "https", "grpc", "h2c", "tcp"];

/** Subscription tiers in ascending order. */
export type Tier = "free" | "pro" | "enterprise";
export const tiers: readonly Tier[] = ["free", "pro", "enterprise"];

export type ResourceTier = "basic" | "premium" | "enterprise";
export const resourceTiers: readonly ResourceTier[] = ["basic", "premium", "enterprise"];

/** What discovery filters on. `unknown`: no check has decided yet. */
export type InstanceStatus = "healthy" | "degraded" | "unhealthy" | "unknown";

/** Active health-check settings, resolved against the hub's defaults. */
export interface HealthCheckSettings {
  readonly disabled: boolean;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly rise: number;
  readonly fall: number;
  readonly grpcService: string;
}

/** The durable description of one registered instance, as stored. */
export interface InstanceRecord {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly healthEndpoint: string;
  readonly version: string;
  readonly zone: string;
  readonly weight: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly tenantCapable: boolean;
  readonly subscriptionRequirements: readonly Tier[];
  readonly resourceTier: ResourceTier;
  readonly healthCheck: HealthCheckSettings;
  readonly ttlMs: number;
  readonly deregisterCriticalAfterMs: number;
  readonly registeredAt: number;
  /** Lease the instance's keys live on: kept alive by heartbeats and passing checks. */
  readonly removalLease: number;
}

/** The latest active check of an instance (kept in memory by the replica that checks it). */
export interface LastCheck {
  readonly passing: boolean;
  readonly reportedStatus: InstanceStatus;
  readonly message: string;
  readonly latencyMs: number;
  readonly checkedAt: number;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
}

/** An instance as discovery sees it now: the record plus its live state. */
export interface Instance {
  readonly record: InstanceRecord;
  /** The record's id and weight, at the top level where the selection strategies read them. */
  readonly id: string;
  readonly weight: number;
  readonly status: InstanceStatus;
  readonly statusMessage: string;
  readonly load: number;
  readonly lastCheck: LastCheck | undefined;
  readonly lastHeartbeatAt: number | undefined;
  readonly leaseExpiresAt: number;
  /** "protocol://host:port", IPv6 hosts bracketed. */
  readonly endpoint: string;
}

/** "protocol://host:port" with IPv6 literals bracketed. */
export function endpointUrl(protocol: Protocol, host: string, port: number): string {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  // join() builds one flat string; a template literal keeps a tree of four pieces, which the
  // view would hold for every instance (about 100 bytes each).
  return [protocol, "://", hostPart, ":", port].join("");
}

/** The id an instance gets when it does not choose one: stable for the same host and port. */
export function deriveInstanceId(host: string, port: number): string {
  return `${host.replace(/[^A-Za-z0-9.-]/g, "-")}-${port}`;
}

/** The health endpoint a protocol gets when the registration names none. */
export function defaultHealthEndpoint(protocol: Protocol): string {
  return protocol === "http" || protocol === "https" ? "/health" : "";
}
