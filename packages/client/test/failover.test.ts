import { describe, expect, it } from "vitest";
import type { HubClientEvent } from "../src/index.js";
import { freePort } from "@hub/test-support";
import { eventually, useResources } from "./support/resources.js";

const instance = {
  name: "risk",
  host: "127.0.0.1",
  port: 8002,
  healthCheck: { disabled: true },
  ttlMs: 3_000,
};

describe("several hubs", () => {
  const resources = useResources();

  it("uses the second hub when the first is down, and keeps preferring it", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const up = await resources.hub();
    const events: HubClientEvent[] = [];
    const client = resources.client({ hubUrls: [down, up.url], onEvent: (event) => events.push(event) });
    const registration = await client.register(instance);
    expect(registration.state().hubUrl).toBe(up.url);
    expect(events).toContainEqual(expect.objectContaining({ type: "hub_failover", from: down, to: up.url }));

    const result = await client.discover("risk");
    expect(result).toMatchObject({ source: "cache", recommended: { port: 8002 } });
    expect(client.cacheState().hubUrl).toBe(up.url);
    const failovers = events.filter((event) => event.type === "hub_failover").length;
    await eventually(() => expect(registration.state().lastHeartbeatAt).toBeGreaterThan(Date.now() - 500));
    // Heartbeats and the watch go straight to the hub that worked: no more failovers.
    expect(events.filter((event) => event.type === "hub_failover")).toHaveLength(failovers);
  });

  it("moves the watch and the heartbeats to the surviving hub when the first dies", async () => {
    const first = await resources.hub();
    const second = await resources.hub();
    const client = resources.client({ hubUrls: [first.url, second.url] });
    const registration = await client.register(instance);
    const reRegistered: string[] = [];
    registration.on("re_registered", (event) => reRegistered.push(event.hubUrl));
    await client.discover("risk");
    expect(client.cacheState().hubUrl).toBe(first.url);

    await first.kill();
    // The second hub has its own store: it learns of the instance from the re-registration.
    await eventually(() => expect(reRegistered).toEqual([second.url]), 10_000);
    await eventually(async () => {
      expect(client.cacheState()).toMatchObject({ connected: true, hubUrl: second.url });
      expect((await client.discover("risk")).recommended.port).toBe(8002);
    }, 10_000);
  });
});
