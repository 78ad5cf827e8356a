import type { SubscriptionTier } from "../auth/tenant-context.js";
import type { ConfigObject } from "./config-limits.js";

/**
 * The tier defaults a hub starts with while its store holds none (SEED "Subscription Tier
 * Defaults"); writing a tier's document replaces them, deleting it brings them back. Every tier
 * names every key, so a service reading `features.custom_models` gets `false`, never undefined.
 */
export const builtinTierDefaults: Readonly<Record<SubscriptionTier, ConfigObject>> = {
  free: {
    rate_limits: { api_calls_per_hour: 1_000, websocket_connections: 5 },
    features: { basic_analytics: true, advanced_ai: false, custom_models: false },
    resource_limits: { max_concurrent_requests: 10, max_data_storage_mb: 100 },
  },
  pro: {
    rate_limits: { api_calls_per_hour: 10_000, websocket_connections: 50 },
    features: { basic_analytics: true, advanced_ai: true, custom_models: false },
    resource_limits: { max_concurrent_requests: 100, max_data_storage_mb: 1_000 },
  },
  enterprise: {
    rate_limits: { api_calls_per_hour: 100_000, websocket_connections: 500 },
    features: { basic_analytics: true, advanced_ai: true, custom_models: true },
    resource_limits: { max_concurrent_requests: 1_000, max_data_storage_mb: 10_000 },
  },
};
