import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { isBaseServiceError } from "./base-service-error.js";
import {
  checkHubConfigSourceOptions,
  resolveBaseServiceOptions,
  resolveFileConfigSourceOptions,
  resolveServiceConfig,
  type ServiceConfigInput,
} from "./options.js";

function configError(input: unknown): string {
  try {
    resolveServiceConfig(input as ServiceConfigInput);
  } catch (error) {
    expect(isBaseServiceError(error, "INVALID_CONFIG")).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected INVALID_CONFIG");
}

describe("resolveServiceConfig", () => {
  it("applies the defaults", () => {
    const config = resolveServiceConfig({ serviceName: "api-gateway" });
    expect(config).toMatchObject({
      serviceName: "api-gateway",
      version: "0.0.0",
      port: 0,
      host: "127.0.0.1",
      advertiseHost: "127.0.0.1",
      hubUrls: ["http://127.0.0.1:7000"],
      register: true,
      healthEndpoint: "/health",
      metricsEndpoint: "/metrics",
      tenantCapable: true,
      metadata: {},
      tags: [],
      subscriptionRequirements: [],
      healthCheck: {},
      registerTimeoutMs: 30_000,
      shutdownTimeoutMs: 10_000,
      dependencyTimeoutMs: 1_000,
      diskPath: process.cwd(),
      maxBodyBytes: 1_048_576,
      maxTenantIdLength: 256,
      activeTenantWindowMs: 300_000,
      logLevel: "info",
    });
  });

  it("accepts SEED.md's snake_case keys, nested health_check too", () => {
    const config = resolveServiceConfig({
      service_name: "api-gateway",
      version: "2.5.0",
      port: 8000,
      hub_urls: ["http://hub-a:7000/", "http://hub-b:7000"],
      subscription_requirements: ["pro", "enterprise"],
      shutdown_timeout_ms: 5_000,
      health_check: { interval_ms: 2_000, rise: 1 },
      metadata: { team_name: "gateway" },
    });
    expect(config).toMatchObject({
      serviceName: "api-gateway",
      version: "2.5.0",
      port: 8000,
      hubUrls: ["http://hub-a:7000", "http://hub-b:7000"],
      subscriptionRequirements: ["pro", "enterprise"],
      shutdownTimeoutMs: 5_000,
      healthCheck: { intervalMs: 2_000, rise: 1 },
      // Metadata keys are the user's own: never rewritten.
      metadata: { team_name: "gateway" },
    });
  });

  it("takes a single hub_url", () => {
    expect(resolveServiceConfig({ service_name: "a", hub_url: "http://hub:7000" }).hubUrls).toEqual([
      "http://hub:7000",
    ]);
  });

  it("advertises the hostname when listening on a wildcard address", () => {
    expect(resolveServiceConfig({ serviceName: "a", host: "0.0.0.0" }).advertiseHost).toBe(hostname());
    expect(
      resolveServiceConfig({ serviceName: "a", host: "0.0.0.0", advertiseHost: "a.svc" }).advertiseHost,
    ).toBe("a.svc");
  });

  it.each([
    [{}, "serviceName: Invalid input: expected string, received undefined"],
    [{ service_name: "Api_Gateway" }, "service_name: must be lower-case letters, digits and inner dashes"],
    [{ service_name: "a", prot: 1 }, "prot: unknown key"],
    [{ service_name: "a", shutdown_timout_ms: 1 }, "shutdown_timout_ms: unknown key"],
    [{ service_name: "a", health_check: { intervall_ms: 1 } }, "health_check.intervall_ms: unknown key"],
    [{ service_name: "a", port: 70_000 }, "port: Too big"],
    [{ service_name: "a", hub_urls: ["ftp://x"] }, "hub_urls.0: must be an http: or https: URL"],
    [
      { service_name: "a", hubUrl: "http://a", hubUrls: ["http://b"] },
      "hubUrl: give hubUrl or hubUrls, not both",
    ],
    [{ service_name: "a", serviceName: "b" }, "serviceName: given twice (also as service_name)"],
    [{ service_name: "a", health_endpoint: "health" }, "health_endpoint: must be a path starting with /"],
    [{ service_name: "a", metrics_endpoint: "/health" }, "metrics_endpoint: must differ from healthEndpoint"],
    [
      { service_name: "a", subscription_requirements: ["gold"] },
      "subscription_requirements.0: Invalid option",
    ],
  ])("refuses %j, naming the key as written", (input, message) => {
    expect(configError(input)).toContain(message);
  });

  it("reports every problem at once", () => {
    expect(configError({ service_name: "A", port: -1 }).split("; ")).toHaveLength(2);
  });

  it("serves no metrics endpoint with metrics_endpoint: null", () => {
    expect(resolveServiceConfig({ service_name: "a", metrics_endpoint: null }).metricsEndpoint).toBeNull();
  });
});

describe("resolveBaseServiceOptions", () => {
  it("applies the defaults", () => {
    const options = resolveBaseServiceOptions(undefined);
    expect(options.handleSignals).toBe(true);
    expect(options.configTimeoutMs).toBe(10_000);
    expect(options.errorMappers).toEqual([]);
    expect(typeof options.exit).toBe("function");
    expect(typeof options.clock.now()).toBe("number");
  });

  it("refuses unknown and malformed options", () => {
    expect(() => resolveBaseServiceOptions({ handleSignal: false } as never)).toThrow(
      "handleSignal: unknown key",
    );
    expect(() => resolveBaseServiceOptions({ clock: { now: () => 1 } } as never)).toThrow(
      "clock: must have now(), setTimeout(), clearTimeout()",
    );
    expect(() => resolveBaseServiceOptions({ errorMappers: ["x"] } as never)).toThrow(
      "errorMappers.0: must be a function",
    );
  });
});

describe("resolveFileConfigSourceOptions", () => {
  it("applies the defaults; the default validation accepts JSON objects only", () => {
    const options = resolveFileConfigSourceOptions({ path: "x.json" });
    expect(options.debounceMs).toBe(100);
    expect(options.validate({ a: 1 })).toEqual({ a: 1 });
    expect(() => options.validate([1])).toThrow("must be a JSON object");
  });

  it("refuses a missing path", () => {
    expect(() => resolveFileConfigSourceOptions({} as never)).toThrow("path:");
  });
});

describe("checkHubConfigSourceOptions", () => {
  const message = (input: unknown): string => {
    try {
      checkHubConfigSourceOptions(input as never);
    } catch (error) {
      expect(isBaseServiceError(error, "INVALID_CONFIG")).toBe(true);
      return (error as Error).message;
    }
    throw new Error("expected INVALID_CONFIG");
  };

  it("accepts each scope with the documented options", () => {
    for (const scope of [{ global: true }, { tier: "pro" }, { tenant: "company_abc" }] as const) {
      expect(() =>
        checkHubConfigSourceOptions({
          scope,
          hubUrls: ["http://127.0.0.1:7000"],
          validate: (v) => v,
          hubClientOptions: {},
          tenant: { companyId: "company_abc" },
          onDisconnect: () => {},
        }),
      ).not.toThrow();
    }
  });

  it("refuses a missing or unknown scope", () => {
    expect(message({})).toMatch(/^scope: must be \{ global: true \}/);
    expect(message({ scope: { tier: "gold" } })).toMatch(/^scope: /);
    expect(message({ scope: { tenat: "company_abc" } })).toMatch(/^scope: /);
    expect(message({ scope: { tenant: "" } })).toMatch(/^scope: /);
    expect(message({ scope: { global: false } })).toMatch(/^scope: /);
  });

  it("refuses unknown keys, so a misspelt hubUrl does not silently watch the default hub", () => {
    expect(message({ scope: { global: true }, hubUrl: "http://10.0.0.1:7000" })).toBe("hubUrl: unknown key");
    expect(message({ scope: { global: true }, hubUrls: ["ftp://x"] })).toMatch(/^hubUrls\.0: /);
  });
});
