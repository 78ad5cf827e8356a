import type { HubClient, InstanceRegistration, Registration } from "@hub/client";
import type { Logger } from "pino";
import { BaseServiceError } from "./base-service-error.js";
import type { HealthStatus } from "./health/index.js";
import type { ResolvedServiceConfig } from "./options.js";

/** What the hub is told about this instance, from the config and the port actually bound. @internal */
export function instanceRegistration(config: ResolvedServiceConfig, port: number): InstanceRegistration {
  const registration: InstanceRegistration = {
    name: config.serviceName,
    host: config.advertiseHost,
    port,
    protocol: "http",
    healthEndpoint: config.healthEndpoint,
    version: config.version,
    metadata: config.metadata,
    tags: config.tags,
    tenantCapable: config.tenantCapable,
    subscriptionRequirements: config.subscriptionRequirements,
    healthCheck: config.healthCheck,
  };
  if (config.instanceId !== undefined) registration.id = config.instanceId;
  if (config.zone !== undefined) registration.zone = config.zone;
  if (config.weight !== undefined) registration.weight = config.weight;
  if (config.resourceTier !== undefined) registration.resourceTier = config.resourceTier;
  if (config.ttlMs !== undefined) registration.ttlMs = config.ttlMs;
  if (config.deregisterCriticalAfterMs !== undefined) {
    registration.deregisterCriticalAfterMs = config.deregisterCriticalAfterMs;
  }
  return registration;
}

/** Options of {@link registerWithHub}. @internal */
export interface RegisterWithHubOptions {
  readonly registerTimeoutMs: number;
  readonly heartbeatIntervalMs: number | undefined;
  readonly load: () => number | Promise<number>;
  readonly log: Logger;
  /** Ends the registration retries (a stop during start). */
  readonly signal: AbortSignal;
}

/**
 * Registers the instance through `@hub/client` (which then heartbeats, backs off while no hub
 * answers and registers again when a hub forgot the instance) and logs what happens to it:
 * heartbeat failures once per outage, recoveries, re-registrations, the deregistration.
 * @throws BaseServiceError REGISTRATION_FAILED when no hub accepted it within `registerTimeoutMs`.
 * @internal
 */
export async function registerWithHub(
  client: HubClient,
  registration: InstanceRegistration,
  options: RegisterWithHubOptions,
): Promise<Registration> {
  const { log } = options;
  let handle: Registration;
  try {
    handle = await client.register(registration, {
      registerTimeoutMs: options.registerTimeoutMs,
      load: options.load,
      signal: options.signal,
      ...(options.heartbeatIntervalMs === undefined
        ? {}
        : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BaseServiceError(
      "REGISTRATION_FAILED",
      `the hub did not accept ${registration.name}: ${reason}`,
      {
        cause: error,
      },
    );
  }
  log.info(
    {
      instance_id: handle.instanceId,
      hub: handle.state().hubUrl,
      endpoint: handle.instance.url,
      lease_ttl_ms: handle.leaseTtlMs,
    },
    "registered with the hub",
  );
  // One line per outage, not one per retry.
  let wasFailing = false;
  handle.on("heartbeat_failed", (event) => {
    if (!wasFailing)
      log.warn({ err: event.error, retry_in_ms: event.retryInMs }, "heartbeat failed; retrying");
    wasFailing = true;
  });
  handle.on("heartbeat", (event) => {
    if (wasFailing) log.info({ hub: event.hubUrl }, "heartbeats resumed");
    wasFailing = false;
  });
  handle.on("re_registered", (event) =>
    log.info({ hub: event.hubUrl }, "the hub had forgotten the instance; registered again"),
  );
  handle.on("register_failed", (event) =>
    log.warn({ err: event.error, retry_in_ms: event.retryInMs }, "registering again failed"),
  );
  handle.on("deregistered", () => log.info({ instance_id: handle.instanceId }, "deregistered from the hub"));
  handle.on("deregister_failed", (event) =>
    log.warn({ err: event.error }, "deregistering failed; the hub will expire the lease"),
  );
  return handle;
}

/** How the service's link to the hub looks, for `/health`'s informational `central-hub` entry. @internal */
export function hubLinkStatus(registration: Registration): HealthStatus {
  const { status } = registration.state();
  return status === "active" ? "healthy" : status === "retrying" ? "degraded" : "unhealthy";
}
