import type { HealthCheckSettings } from "./instance.js";

/** Bounds on what one registration may carry; explicit so abuse is refused, not absorbed. */
export interface RegistryLimits {
  readonly maxInstancesPerService: number;
  readonly maxMetadataEntries: number;
  readonly maxMetadataValueLength: number;
  readonly maxTags: number;
}

/** Settings an instance gets when its registration leaves them out. */
export interface RegistryDefaults {
  readonly ttlMs: number;
  readonly deregisterCriticalAfterMs: number;
  readonly healthCheck: HealthCheckSettings;
}

export const defaultRegistryLimits: RegistryLimits = {
  maxInstancesPerService: 1000,
  maxMetadataEntries: 64,
  maxMetadataValueLength: 512,
  maxTags: 32,
};

export const defaultRegistryDefaults: RegistryDefaults = {
  ttlMs: 30_000,
  deregisterCriticalAfterMs: 300_000,
  healthCheck: { disabled: false, intervalMs: 10_000, timeoutMs: 2_000, rise: 2, fall: 3, grpcService: "" },
};
