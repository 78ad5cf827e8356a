import { describe, expect, it } from "vitest";
import { eventually, useResources } from "./support/resources.js";

describe("against a real hub", () => {
  const resources = useResources();

  it("shows an instance registered by one client in another client's cache within two seconds", async () => {
    const hub = await resources.hub();
    const watcher = resources.client({ hubUrls: [hub.url], watchOnStart: true });
    await eventually(() => expect(watcher.cacheState().loaded).toBe(true));
    const service = resources.client({ hubUrls: [hub.url] });
    const started = Date.now();
    const registration = await service.register({
      name: "data-bridge",
      host: "127.0.0.1",
      port: 8001,
      healthCheck: { disabled: true },
      ttlMs: 3_000,
    });
    expect(registration).toMatchObject({
      instanceId: "127.0.0.1-8001",
      leaseTtlMs: 3_000,
      heartbeatIntervalMs: 1_000,
    });
    const result = await eventually(() => watcher.discover("data-bridge"), 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ source: "cache", healthyAvailable: true, staleForMs: 0 });
    expect(result.recommended).toMatchObject({ url: "http://127.0.0.1:8001", status: "healthy" });

    await registration.close();
    await eventually(() =>
      expect(watcher.discover("data-bridge")).rejects.toMatchObject({ reason: "NOT_FOUND" }),
    );
  });

  it("follows the hub's health checks: an unhealthy instance is no longer recommended", async () => {
    const hub = await resources.hub();
    const [a, b] = [await resources.instance(), await resources.instance()];
    const service = resources.client({ hubUrls: [hub.url] });
    for (const instance of [a, b]) {
      await service.register({ name: "risk", host: "127.0.0.1", port: instance.port, ttlMs: 3_000 });
    }
    const caller = resources.client({ hubUrls: [hub.url] });
    const recommended = async (times: number) => {
      const ports = new Set<number>();
      for (let i = 0; i < times; i++) ports.add((await caller.discover("risk")).recommended.port);
      return [...ports].sort();
    };
    await eventually(async () => expect(await recommended(4)).toEqual([a.port, b.port].sort()));

    b.healthy = false;
    await eventually(async () => {
      const result = await caller.discover("risk");
      expect(result.instances.find((i) => i.port === b.port)?.status).toBe("unhealthy");
    });
    expect(await recommended(6)).toEqual([a.port]);

    a.healthy = false;
    const none = await eventually(async () => {
      const result = await caller.discover("risk");
      expect(result.healthyAvailable).toBe(false);
      return result;
    });
    expect(none.confidence).toBeLessThan(0.5);
    expect(none.message).toMatch(/^no healthy instance of risk/);

    b.healthy = true;
    await eventually(async () => expect(await recommended(4)).toEqual([b.port]));
  });

  it("sends heartbeats with the reported load, which the hub's direct Discover shows", async () => {
    const hub = await resources.hub();
    const service = resources.client({ hubUrls: [hub.url] });
    await service.register(
      { name: "ledger", host: "127.0.0.1", port: 9100, healthCheck: { disabled: true }, ttlMs: 1_500 },
      { load: () => 0.75 },
    );
    // The watch does not carry load changes (the hub keeps load in memory), so ask the hub directly.
    const other = resources.client({ hubUrls: [hub.url], tenant: { subscriptionTier: "enterprise" } });
    await eventually(async () => {
      const result = await other.discover("ledger", { tenant: { subscriptionTier: "pro" } });
      expect(result.source).toBe("hub");
      expect(result.recommended.load).toBe(0.75);
    });
  });
});
