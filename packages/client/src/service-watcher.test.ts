import { HealthCheckResponse_ServingStatus, type InstanceSpec, InstanceStatus } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { settle } from "@hub/test-support";
import type { FakeRegistry } from "../test/support/fake-hub.js";
import { type FakeSetup, fakeSetup } from "../test/support/fake-setup.js";
import type { NodeHubClientOptions } from "./options.js";

function add(registry: FakeRegistry, name: string, port: number, extra: Partial<InstanceSpec> = {}): string {
  const instance = registry.register({
    name,
    host: "10.0.0.1",
    port,
    healthCheck: { disabled: true },
    ...extra,
  } as InstanceSpec);
  return instance.spec!.id;
}

describe("the watch and the cache", () => {
  let setup: FakeSetup;
  afterEach(async () => {
    await setup.client.close();
  });

  async function start(options: NodeHubClientOptions = {}) {
    setup = fakeSetup(options);
    add(setup.registry, "risk", 8001);
    add(setup.registry, "risk", 8002);
    await setup.client.discover("risk");
    return setup;
  }
  const urls = async (name: string) => (await setup.client.discover(name)).instances.map((i) => i.url);

  it("fills the cache from the snapshot, then applies every change", async () => {
    const { client, registry, hub, eventsOf } = await start();
    expect(client.cacheState()).toMatchObject({ loaded: true, connected: true, revision: 2n, services: 1 });
    expect(eventsOf("snapshot")).toEqual([expect.objectContaining({ revision: 2n, services: 1 })]);
    expect(hub.watchRequests).toEqual([expect.objectContaining({ fromRevision: 0n })]);

    const third = add(registry, "risk", 8003);
    await settle();
    expect(await urls("risk")).toEqual([
      "http://10.0.0.1:8001",
      "http://10.0.0.1:8002",
      "http://10.0.0.1:8003",
    ]);

    registry.setStatus("risk", third, InstanceStatus.UNHEALTHY, "503 Service Unavailable");
    registry.deregister("risk", "10.0.0.1-8001");
    await settle();
    const result = await client.discover("risk");
    expect(result.instances.map((i) => [i.port, i.status])).toEqual([
      [8002, "healthy"],
      [8003, "unhealthy"],
    ]);
    expect(result.recommended.port).toBe(8002);
    expect(client.cacheState().revision).toBe(5n);
    // Each change was announced as the cache took it in.
    expect(
      eventsOf("instance_changed").map((e) => [e.revision, e.name, e.instanceId, e.instance?.status ?? null]),
    ).toEqual([
      [3n, "risk", third, "healthy"],
      [4n, "risk", third, "unhealthy"],
      [5n, "risk", "10.0.0.1-8001", null],
    ]);
    // One stream did it all: no reconnect, no second snapshot.
    expect(hub.watchRequests).toHaveLength(1);
  });

  it("drops a service with its last instance, so discover says NOT_FOUND", async () => {
    const { client, registry } = await start();
    registry.deregister("risk", "10.0.0.1-8001");
    registry.deregister("risk", "10.0.0.1-8002");
    await settle();
    await expect(client.discover("risk")).rejects.toMatchObject({ reason: "NOT_FOUND" });
    expect(client.cachedServices()).toEqual([]);
  });

  it("resumes from its last revision after a reconnect and gets what it missed", async () => {
    const { client, registry, hub, clock, eventsOf } = await start();
    hub.breakStreams();
    await settle();
    expect(client.cacheState().connected).toBe(false);
    expect(eventsOf("watch_disconnected")).toEqual([expect.objectContaining({ retryInMs: 500 })]);
    add(registry, "risk", 8003);
    await clock.advance(500);
    expect(hub.watchRequests.map((r) => r.fromRevision)).toEqual([0n, 2n]);
    expect(await urls("risk")).toContain("http://10.0.0.1:8003");
    expect(client.cacheState()).toMatchObject({ connected: true, revision: 3n, staleForMs: 0 });
    expect(eventsOf("watch_connected").map((e) => e.resumed)).toEqual([false, true]);
    expect(eventsOf("snapshot")).toHaveLength(1);
  });

  it("takes a resume with nothing to replay as current once the hub answers a health check", async () => {
    const { client, hub, clock, eventsOf } = await start();
    hub.breakStreams();
    await clock.advance(500);
    expect(hub.watchRequests.map((r) => r.fromRevision)).toEqual([0n, 2n]);
    expect(client.cacheState()).toMatchObject({ connected: true, staleForMs: 0 });
    expect(eventsOf("watch_connected").at(-1)).toMatchObject({ resumed: true, revision: 2n });
  });

  it("replaces the cache with the fresh snapshot a hub sends when the revision cannot be replayed", async () => {
    const { client, registry, hub, clock } = await start();
    hub.breakStreams();
    registry.wipe(); // a hub restarted on a fresh store: revisions start over
    add(registry, "ledger", 9001);
    await clock.advance(500);
    expect(hub.watchRequests.map((r) => r.fromRevision)).toEqual([0n, 2n]);
    expect(client.cachedServices().map((s) => s.name)).toEqual(["ledger"]);
    expect(client.cacheState().revision).toBe(1n);
    await expect(client.discover("risk")).rejects.toMatchObject({ reason: "NOT_FOUND" });
  });

  it("keeps answering from the last known state while every hub is down, with growing staleness", async () => {
    const { client, hub, clock, eventsOf } = await start();
    await clock.advance(1_000);
    hub.setDown(true);
    await settle();
    const brokeAt = clock.now();
    await clock.advance(5_000);
    const result = await client.discover("risk");
    expect(result.source).toBe("cache");
    expect(result.staleForMs).toBe(5_000);
    expect(client.cacheState()).toMatchObject({
      loaded: true,
      connected: false,
      lastSyncedAt: brokeAt,
      staleForMs: 5_000,
    });
    // 500, then one failed round after another: 1000, 2000, 4000 ...
    await clock.advance(20_000);
    expect(eventsOf("watch_disconnected").map((e) => e.retryInMs)).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
    expect((await client.discover("risk")).staleForMs).toBe(25_000);

    hub.setDown(false);
    await clock.advance(16_000);
    expect(client.cacheState()).toMatchObject({ connected: true, staleForMs: 0 });
    expect((await client.discover("risk")).staleForMs).toBe(0);
  });

  it("checks the stream's hub every watchCheckIntervalMs and leaves it when it stops serving", async () => {
    const { client, hubs, clock, eventsOf } = await start({
      hubUrls: ["http://hub-a:7000", "http://hub-b:7000"],
      watchCheckIntervalMs: 10_000,
    });
    const [a, b] = hubs;
    expect(client.cacheState().hubUrl).toBe(a!.url);
    await clock.advance(10_000);
    expect(a!.callsOf("Check")).toHaveLength(1);
    expect(client.cacheState().lastSyncedAt).toBe(clock.now());
    const lastGood = clock.now();
    a!.healthStatus = HealthCheckResponse_ServingStatus.NOT_SERVING;
    await clock.advance(10_000);
    expect(a!.openStreams()).toBe(0);
    expect(client.cacheState()).toMatchObject({ connected: true, hubUrl: b!.url });
    expect(eventsOf("watch_connected").map((e) => [e.hubUrl, e.resumed])).toEqual([
      [a!.url, false],
      [b!.url, true],
    ]);
    // The failed check ended the stream: the cache was known current only until the last good check.
    expect(lastGood).toBeLessThan(clock.now());
  });

  it("fails over to the next hub when the first is down, and prefers it from then on", async () => {
    setup = fakeSetup({ hubUrls: ["http://hub-a:7000", "http://hub-b:7000"] });
    const { client, hubs, registry, eventsOf } = setup;
    const [a, b] = hubs;
    add(registry, "risk", 8001);
    a!.setDown(true);
    const result = await client.discover("risk");
    expect(result.source).toBe("cache");
    expect(client.cacheState().hubUrl).toBe(b!.url);
    const registration = await client.register({ name: "ledger", host: "10.0.0.2", port: 9000 });
    expect(registration.state().hubUrl).toBe(b!.url);
    // The register went straight to b, the hub that last worked: a saw one watch attempt only.
    expect(a!.calls.map((c) => c.method)).toEqual(["WatchServices"]);
    expect(eventsOf("hub_failover")).toEqual([expect.objectContaining({ from: a!.url, to: b!.url })]);

    a!.setDown(false);
    b!.setDown(true);
    await settle();
    await setup.clock.advance(500);
    expect(client.cacheState()).toMatchObject({ connected: true, hubUrl: a!.url });
    await setup.clock.advance(registration.heartbeatIntervalMs);
    expect(registration.state()).toMatchObject({ status: "active", hubUrl: a!.url });
    // The watch moved back to a first, so the heartbeat went straight there.
    expect(eventsOf("hub_failover").map((e) => [e.from, e.to])).toEqual([
      [a!.url, b!.url],
      [b!.url, a!.url],
    ]);
    expect(b!.callsOf("Heartbeat")).toHaveLength(0);
  });

  it("sends the client's tenant headers and legacy mode on the stream", async () => {
    setup = fakeSetup({
      tenant: { companyId: "acme", userId: "u-1", subscriptionTier: "free" },
      legacyMode: true,
    });
    add(setup.registry, "risk", 8001);
    await setup.client.discover("risk");
    const [watch] = setup.hub.callsOf("WatchServices");
    expect(watch!.headers).toMatchObject({
      "x-company-id": "acme",
      "x-user-id": "u-1",
      "x-subscription-tier": "free",
    });
    expect(setup.hub.watchRequests[0]).toMatchObject({ legacyMode: true, names: [] });
  });

  it("opens the stream at creation with watchOnStart, and ends it on close", async () => {
    setup = fakeSetup({ watchOnStart: true });
    await settle();
    expect(setup.hub.openStreams()).toBe(1);
    expect(setup.client.cacheState()).toMatchObject({ loaded: true, connected: true });
    await setup.client.close();
    await settle();
    expect(setup.hub.openStreams()).toBe(0);
    expect(setup.clock.pending()).toEqual([]);
  });
});
