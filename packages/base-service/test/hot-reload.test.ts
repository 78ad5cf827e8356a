import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isBaseServiceError } from "../src/base-service-error.js";
import { createFileConfigSource } from "../src/file-config-source.js";
import { eventually, getJson, useResources } from "./support/resources.js";

const RateLimits = z.strictObject({
  rate_limits: z.strictObject({ free_tier: z.int().positive(), pro_tier: z.int().positive() }),
});
type RateLimits = z.infer<typeof RateLimits>;

const limits = (free: number, pro: number): RateLimits => ({
  rate_limits: { free_tier: free, pro_tier: pro },
});

describe("BaseService hot reload", () => {
  const resources = useResources();

  async function configFile(content: unknown) {
    const path = join(await resources.tempDir(), "service.json");
    await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  }

  it("applies the first config before listening, then every change without a restart", async () => {
    const path = await configFile(limits(50, 200));
    const applied: Array<[RateLimits, RateLimits | undefined]> = [];
    const { service, logs } = resources.service<RateLimits>(
      {},
      {
        configSource: createFileConfigSource({ path, validate: (v) => RateLimits.parse(v), debounceMs: 10 }),
        onConfigChange: (config, previous) => {
          applied.push([config, previous]);
        },
      },
    );
    service.get("/limit", () => service.dynamicConfig()?.rate_limits.free_tier);
    const started = service.start();
    expect(service.dynamicConfig()).toBeUndefined();
    const { url, port } = await started;
    expect(applied).toEqual([[limits(50, 200), undefined]]);
    expect((await getJson<{ data: number }>(`${url}/limit`)).body.data).toBe(50);

    await writeFile(path, JSON.stringify(limits(75, 300)));
    await eventually(() => expect(service.dynamicConfig()).toEqual(limits(75, 300)));
    expect(applied.at(-1)).toEqual([limits(75, 300), limits(50, 200)]);
    expect((await getJson<{ data: number }>(`${url}/limit`)).body.data).toBe(75);
    // Same process, same server: nothing restarted.
    expect(service.address().port).toBe(port);
    expect(service.state()).toBe("running");
    expect(logs.withMsg("config reloaded")).toHaveLength(1);
  });

  it("rejects an invalid file with a log line and keeps the previous config", async () => {
    const path = await configFile(limits(50, 200));
    const { service, logs } = resources.service<RateLimits>(
      {},
      {
        configSource: createFileConfigSource({ path, validate: (v) => RateLimits.parse(v), debounceMs: 10 }),
      },
    );
    await service.start();

    await writeFile(path, '{"rate_limits": {"free_tier": 50,');
    await eventually(() =>
      expect(logs.withMsg("config rejected; keeping the previous config")).toHaveLength(1),
    );
    await writeFile(path, JSON.stringify({ rate_limits: { free_tier: 0, pro_tier: 10 } }));
    await eventually(() =>
      expect(logs.withMsg("config rejected; keeping the previous config")).toHaveLength(2),
    );
    const [syntax, invalid] = logs.withMsg("config rejected; keeping the previous config");
    expect(syntax).toMatchObject({ level: 40, err: { message: expect.stringContaining("not valid JSON") } });
    expect(invalid).toMatchObject({
      err: { message: expect.stringContaining("rate_limits.free_tier: Too small") },
    });
    expect(service.dynamicConfig()).toEqual(limits(50, 200));

    await writeFile(path, JSON.stringify(limits(1, 2)));
    await eventually(() => expect(service.dynamicConfig()).toEqual(limits(1, 2)));
  });

  it("keeps the previous config when onConfigChange refuses the new one", async () => {
    const path = await configFile(limits(50, 200));
    const { service, logs } = resources.service<RateLimits>(
      {},
      {
        configSource: createFileConfigSource({ path, validate: (v) => RateLimits.parse(v), debounceMs: 10 }),
        onConfigChange: (config) => {
          if (config.rate_limits.free_tier > config.rate_limits.pro_tier) throw new Error("free above pro");
        },
      },
    );
    await service.start();
    await writeFile(path, JSON.stringify(limits(500, 200)));
    await eventually(() =>
      expect(logs.withMsg("applying the new config failed; keeping the previous config")).toHaveLength(1),
    );
    expect(service.dynamicConfig()).toEqual(limits(50, 200));
  });

  it("refuses to start on an invalid config file", async () => {
    const path = await configFile({ rate_limits: "lots" });
    const { service } = resources.service<RateLimits>(
      {},
      { configSource: createFileConfigSource({ path, validate: (v) => RateLimits.parse(v) }) },
    );
    await expect(service.start()).rejects.toSatisfy(
      (error) =>
        isBaseServiceError(error, "CONFIG_REJECTED") && (error as Error).message.includes("rate_limits"),
    );
    expect(service.state()).toBe("stopped");
  });

  it("gives up waiting for a source that never delivers, after configTimeoutMs", async () => {
    const { service } = resources.service(
      {},
      { configSource: { subscribe: () => () => {} }, configTimeoutMs: 50 },
    );
    await expect(service.start()).rejects.toThrow("the config source delivered nothing within 50 ms");
  });

  it("stops waiting for the first config when stopped during start", async () => {
    const { service } = resources.service({}, { configSource: { subscribe: () => () => {} } });
    const starting = service.start();
    const stopped = service.stop();
    await expect(starting).rejects.toThrow("was stopped while starting");
    await stopped;
    expect(service.state()).toBe("stopped");
  });
});
