import { z } from "zod";
import { BaseService, createHubConfigSource } from "../src/index.js";

/** The README's "Config from the hub" example, run by hub-config.test.ts against a real hub. */
export function hubConfigReadmeExample(hubUrl: string): BaseService<TenantLimits> {
  // readme:start
  const TenantLimits = z.object({
    rate_limits: z.object({ api_calls_per_hour: z.int().positive() }),
    features: z.object({ advanced_ai: z.boolean() }),
  });
  const service = new BaseService<z.infer<typeof TenantLimits>>(
    { service_name: "api-gateway", hub_url: hubUrl },
    {
      configSource: createHubConfigSource({
        hubUrls: [hubUrl],
        scope: { tenant: "company_abc" }, // or { global: true }, or { tier: "pro" }
        validate: (v) => TenantLimits.parse(v),
      }),
      onConfigChange: (config) => console.log("calls per hour:", config.rate_limits.api_calls_per_hour),
    },
  );
  // readme:end
  return service;
}

/** What the example's schema accepts. */
interface TenantLimits {
  rate_limits: { api_calls_per_hour: number };
  features: { advanced_ai: boolean };
}
