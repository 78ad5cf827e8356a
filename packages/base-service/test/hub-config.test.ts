import { readFile } from "node:fs/promises";
import { freePort } from "@hub/test-support";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createHubConfigSource } from "../src/hub-config-source.js";
import { hubConfigReadmeExample } from "./hub-config-readme-example.js";
import { eventually, getJson, useResources } from "./support/resources.js";

/** What the service reads from its tenant's effective config. */
const TenantLimits = z.object({
  rate_limits: z.object({
    api_calls_per_hour: z.int().positive(),
    websocket_connections: z.int().positive(),
  }),
  features: z.object({ advanced_ai: z.boolean() }),
});
type TenantLimits = z.infer<typeof TenantLimits>;

/** A config write as an admin tool makes it (the hub lets loopback callers write without a token). */
async function putConfig(hubUrl: string, path: string, body: unknown): Promise<{ version: number }> {
  const answer = await getJson<{ version: number }>(`${hubUrl}${path}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (answer.status !== 200)
    throw new Error(`PUT ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

// The hub is down for a moment only: short retries, and a breaker that lets the hub back in fast.
const fastReconnect = {
  backoff: { initialMs: 50, maxMs: 200, multiplier: 2, jitter: 0.5 },
  fallback: { breaker: { cooldownMs: 100 } },
};

describe("BaseService with createHubConfigSource", () => {
  const resources = useResources();

  it("starts with the tenant's effective config and hot-reloads each change made on the hub", async () => {
    const hub = await resources.hub();
    await putConfig(hub.url, "/config/company_abc", {
      subscription_tier: "pro",
      config: { rate_limits: { api_calls_per_hour: 20_000 } },
    });
    const applied: Array<[TenantLimits, TenantLimits | undefined]> = [];
    const { service, logs } = resources.service<TenantLimits>(
      {},
      {
        configSource: createHubConfigSource({
          hubUrls: [hub.url],
          scope: { tenant: "company_abc" },
          validate: (v) => TenantLimits.parse(v),
        }),
        onConfigChange: (config, previous) => {
          applied.push([config, previous]);
        },
      },
    );
    service.get("/limit", () => service.dynamicConfig()?.rate_limits.api_calls_per_hour);
    const { url, port } = await service.start();
    expect(service.dynamicConfig()).toMatchObject({
      rate_limits: { api_calls_per_hour: 20_000, websocket_connections: 50 },
      features: { advanced_ai: true },
    });

    await putConfig(hub.url, "/config/company_abc", {
      config: { rate_limits: { api_calls_per_hour: 30_000 } },
    });
    await eventually(() => expect(service.dynamicConfig()?.rate_limits.api_calls_per_hour).toBe(30_000));
    expect((await getJson<{ data: number }>(`${url}/limit`)).body.data).toBe(30_000);
    // A change to the tier's defaults reaches the tenant too.
    await putConfig(hub.url, "/config/tiers/pro", {
      config: { rate_limits: { websocket_connections: 75 }, features: { advanced_ai: false } },
    });
    await eventually(() => expect(service.dynamicConfig()?.features.advanced_ai).toBe(false));
    expect(service.dynamicConfig()?.rate_limits).toEqual({
      api_calls_per_hour: 30_000,
      websocket_connections: 75,
    });
    expect(applied).toHaveLength(3);
    expect(service.address().port).toBe(port);
    expect(logs.withMsg("config reloaded")).toHaveLength(2);
  });

  it("rejects an invalid document with a log line and keeps the last good config", async () => {
    const hub = await resources.hub();
    await putConfig(hub.url, "/config/global", { config: { rate_limits: { free_tier: 50, pro_tier: 200 } } });
    const Global = z.object({
      rate_limits: z.object({ free_tier: z.int().positive(), pro_tier: z.int().positive() }),
    });
    const { service, logs } = resources.service<z.infer<typeof Global>>(
      {},
      {
        configSource: createHubConfigSource({
          hubUrls: [hub.url],
          scope: { global: true },
          validate: (v) => Global.parse(v),
        }),
      },
    );
    await service.start();

    await putConfig(hub.url, "/config/global", { config: { rate_limits: { free_tier: 0, pro_tier: 200 } } });
    await eventually(() =>
      expect(logs.withMsg("config rejected; keeping the previous config")).toHaveLength(1),
    );
    expect(logs.withMsg("config rejected; keeping the previous config")[0]).toMatchObject({
      err: { message: expect.stringContaining("rate_limits.free_tier") },
    });
    expect(service.dynamicConfig()).toEqual({ rate_limits: { free_tier: 50, pro_tier: 200 } });

    await putConfig(hub.url, "/config/global", { config: { rate_limits: { free_tier: 60, pro_tier: 250 } } });
    await eventually(() =>
      expect(service.dynamicConfig()).toEqual({ rate_limits: { free_tier: 60, pro_tier: 250 } }),
    );
  });

  it("refuses to start when the tenant has no config on the hub", async () => {
    const hub = await resources.hub();
    const { service } = resources.service(
      {},
      { configSource: createHubConfigSource({ hubUrls: [hub.url], scope: { tenant: "nobody" } }) },
    );
    await expect(service.start()).rejects.toThrow("the tenant has no config on the hub");
  });

  it("reconnects after a hub restart and delivers the change made while it was away", async () => {
    const dataDir = await resources.tempDir();
    const port = await freePort();
    const first = await resources.hub({ port, storage: "sqlite", dataDir });
    await putConfig(first.url, "/config/tiers/enterprise", {
      config: { rate_limits: { api_calls_per_hour: 1 } },
    });
    const disconnects: number[] = [];
    const { service } = resources.service<Record<string, unknown>>(
      {},
      {
        configSource: createHubConfigSource({
          hubUrls: [first.url],
          scope: { tier: "enterprise" },
          hubClientOptions: fastReconnect,
          onDisconnect: (_error, retryInMs) => disconnects.push(retryInMs),
        }),
      },
    );
    await service.start();
    expect(service.dynamicConfig()).toEqual({ rate_limits: { api_calls_per_hour: 1 } });

    await first.kill();
    await eventually(() => expect(disconnects.length).toBeGreaterThan(0));
    const second = await resources.hub({ port, storage: "sqlite", dataDir });
    await putConfig(second.url, "/config/tiers/enterprise", {
      config: { rate_limits: { api_calls_per_hour: 2 } },
    });
    await eventually(
      () => expect(service.dynamicConfig()).toEqual({ rate_limits: { api_calls_per_hour: 2 } }),
      10_000,
    );
    expect(service.state()).toBe("running");
  });

  it("runs the README's example, which the README shows line for line", async () => {
    const source = await readFile(new URL("./hub-config-readme-example.ts", import.meta.url), "utf8");
    const lines = source.split("\n");
    const example = lines.slice(
      lines.findIndex((l) => l.includes("// readme:start")) + 1,
      lines.findIndex((l) => l.includes("// readme:end")),
    );
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(example.map((l) => l.slice(2)).join("\n"));

    const hub = await resources.hub();
    await putConfig(hub.url, "/config/company_abc", { subscription_tier: "pro", config: {} });
    const service = hubConfigReadmeExample(hub.url);
    try {
      await service.start();
      expect(service.dynamicConfig()?.rate_limits.api_calls_per_hour).toBe(10_000);
    } finally {
      await service.stop();
    }
  });
});
