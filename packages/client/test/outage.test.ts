import { describe, expect, it } from "vitest";
import type { HubClientEvent } from "../src/index.js";
import { freePort } from "@hub/test-support";
import { eventually, useResources } from "./support/resources.js";

const instance = {
  name: "data-bridge",
  host: "127.0.0.1",
  port: 8001,
  healthCheck: { disabled: true },
  ttlMs: 3_000,
};

describe("when the hub goes away", () => {
  const resources = useResources();

  it("keeps answering discover from the cache while the hub is down, with staleness growing", async () => {
    const hub = await resources.hub();
    const service = resources.client({ hubUrls: [hub.url] });
    await service.register(instance);
    const caller = resources.client({ hubUrls: [hub.url] });
    expect((await caller.discover("data-bridge")).staleForMs).toBe(0);

    await hub.kill();
    await eventually(() => expect(caller.cacheState().connected).toBe(false));
    const first = await caller.discover("data-bridge");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await caller.discover("data-bridge");
    expect(first).toMatchObject({ source: "cache", healthyAvailable: true });
    expect(first.recommended.url).toBe("http://127.0.0.1:8001");
    expect(later.staleForMs).toBeGreaterThanOrEqual(first.staleForMs + 250);
    expect(caller.cacheState()).toMatchObject({ loaded: true, connected: false });
    await expect(caller.discover("nope")).rejects.toMatchObject({ reason: "NOT_FOUND" });
  });

  it("reconnects to a hub restarted on the same port and data dir, keeping the registration", async () => {
    const port = await freePort();
    const dataDir = await resources.tempDir();
    const first = await resources.hub({ port, storage: "sqlite", dataDir });
    const events: HubClientEvent[] = [];
    const service = resources.client({ hubUrls: [first.url] });
    const registration = await service.register(instance);
    registration.on("re_registered", (event) => events.push(event));
    const caller = resources.client({ hubUrls: [first.url], onEvent: (event) => events.push(event) });
    await caller.discover("data-bridge");

    await first.kill();
    await eventually(() => expect(caller.cacheState().connected).toBe(false));
    await resources.hub({ port, storage: "sqlite", dataDir });
    await eventually(
      () => expect(caller.cacheState()).toMatchObject({ connected: true, staleForMs: 0 }),
      10_000,
    );
    expect((await caller.discover("data-bridge")).recommended.url).toBe("http://127.0.0.1:8001");
    // The store kept the instance, so heartbeats simply go on.
    await eventually(() =>
      expect(registration.state()).toMatchObject({ status: "active", consecutiveFailures: 0 }),
    );
    const reconnects = events.filter((event) => event.type === "watch_connected");
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(events.filter((event) => event.type === "re_registered")).toEqual([]);
  });

  it("re-registers by itself with a hub restarted on a fresh store, and other clients see it again", async () => {
    const port = await freePort();
    const first = await resources.hub({ port });
    const service = resources.client({ hubUrls: [first.url] });
    const registration = await service.register(instance);
    const reRegistered: string[] = [];
    registration.on("re_registered", (event) => reRegistered.push(event.hubUrl));
    const caller = resources.client({ hubUrls: [first.url] });
    await caller.discover("data-bridge");

    await first.kill();
    const second = await resources.hub({ port }); // memory store: it knows nothing
    await eventually(() => expect(reRegistered).toEqual([second.url]), 10_000);
    await eventually(async () => {
      expect(caller.cacheState()).toMatchObject({ connected: true });
      expect((await caller.discover("data-bridge")).recommended.url).toBe("http://127.0.0.1:8001");
    }, 10_000);
  });
});
