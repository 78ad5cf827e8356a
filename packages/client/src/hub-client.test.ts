import { Code, ConnectError } from "@connectrpc/connect";
import { type DiscoverRequest, type InstanceSpec, InstanceStatus, SelectionStrategy } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { settle } from "@hub/test-support";
import type { FakeRegistry } from "../test/support/fake-hub.js";
import { type FakeSetup, fakeSetup } from "../test/support/fake-setup.js";
import { HubClientError } from "./hub-client-error.js";
import type { NodeHubClientOptions } from "./options.js";

function add(registry: FakeRegistry, port: number, extra: Partial<InstanceSpec> = {}): string {
  return registry.register({
    name: "risk",
    host: "10.0.0.1",
    port,
    healthCheck: { disabled: true },
    ...extra,
  } as InstanceSpec).spec!.id;
}

describe("discover", () => {
  let setup: FakeSetup;
  afterEach(async () => {
    await setup.client.close();
  });
  function start(options: NodeHubClientOptions = {}) {
    setup = fakeSetup(options);
    return setup;
  }
  const ports = async (times: number, strategy?: "round_robin" | "weighted" | "least_load") => {
    const picked: number[] = [];
    for (let i = 0; i < times; i++) {
      picked.push((await setup.client.discover("risk", strategy ? { strategy } : {})).recommended.port);
    }
    return picked;
  };

  it("answers from the cache with the hub's strategies, healthy instances first", async () => {
    const { registry } = start();
    add(registry, 8001, { weight: 3 });
    add(registry, 8002);
    add(registry, 8003, { weight: 1 });
    registry.setStatus("risk", "10.0.0.1-8002", InstanceStatus.UNHEALTHY);
    expect(await ports(4)).toEqual([8001, 8003, 8001, 8003]);
    expect(await ports(4, "weighted")).toEqual([8001, 8001, 8003, 8001]);
    // random() is 0: both draws take the first candidate left, so 8003 is compared with 8001.
    registry.heartbeat("risk", "10.0.0.1-8001", 0.9);
    expect(await ports(1, "least_load")).toEqual([8001]);
    const result = await setup.client.discover("risk");
    expect(result).toMatchObject({
      source: "cache",
      healthyAvailable: true,
      confidence: 1,
      message: "",
      staleForMs: 0,
    });
    expect(result.healthy.map((i) => i.port)).toEqual([8001, 8003]);
    expect(result.instances.map((i) => i.port)).toEqual([8001, 8003, 8002]);
  });

  it("says when no instance is healthy and recommends the best of the rest", async () => {
    const { registry } = start();
    add(registry, 8001);
    add(registry, 8002);
    registry.setStatus("risk", "10.0.0.1-8001", InstanceStatus.UNHEALTHY, "503 Service Unavailable");
    registry.setStatus("risk", "10.0.0.1-8002", InstanceStatus.DEGRADED, "slow");
    const result = await setup.client.discover("risk");
    expect(result).toMatchObject({
      healthyAvailable: false,
      healthy: [],
      confidence: 0.4,
      message: "no healthy instance of risk: recommending one that is degraded (slow)",
    });
    expect(result.recommended.port).toBe(8002);
  });

  it("throws NOT_FOUND once the cache is loaded and has no such service", async () => {
    const { registry, hub } = start();
    add(registry, 8001);
    const error = await setup.client.discover("ledger").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubClientError);
    expect(error).toMatchObject({ reason: "NOT_FOUND", code: Code.NotFound });
    expect(hub.callsOf("Discover")).toHaveLength(0);
  });

  it("waits for the first snapshot up to snapshotWaitMs, then asks a hub directly", async () => {
    const { registry, hub, clock } = start({ snapshotWaitMs: 1_500 });
    add(registry, 8001);
    hub.silentWatch = true;
    let settled = false;
    const pending = setup.client.discover("risk", { strategy: "least_load" }).finally(() => {
      settled = true;
    });
    await clock.advance(1_499);
    expect(settled).toBe(false);
    await clock.advance(1);
    const result = await pending;
    expect(result).toMatchObject({ source: "hub", revision: 0n, staleForMs: 0, healthyAvailable: true });
    expect(result.recommended).toMatchObject({
      id: "10.0.0.1-8001",
      url: "http://10.0.0.1:8001",
      status: "healthy",
    });
    expect(hub.callsOf("Discover").map((c) => (c.input as DiscoverRequest).strategy)).toEqual([
      SelectionStrategy.LEAST_LOAD,
    ]);
  });

  it("answers from the snapshot as soon as it arrives during the wait", async () => {
    const { registry, hub, clock } = start();
    add(registry, 8001);
    hub.silentWatch = true;
    const pending = setup.client.discover("risk");
    await clock.advance(500);
    hub.silentWatch = false;
    add(registry, 8002); // wakes the silent stream
    await settle();
    expect((await pending).source).toBe("cache");
    expect(hub.callsOf("Discover")).toHaveLength(0);
  });

  it("maps the hub's NotFound on a direct Discover to NOT_FOUND", async () => {
    const { hub, clock } = start({ snapshotWaitMs: 100 });
    hub.silentWatch = true;
    const pending = expect(setup.client.discover("ledger")).rejects.toMatchObject({ reason: "NOT_FOUND" });
    await clock.advance(100);
    await pending;
  });

  it("throws UNAVAILABLE without waiting when there is no snapshot and no hub answers", async () => {
    const { hub } = start({ hubUrls: ["http://hub-a:7000", "http://hub-b:7000"] });
    for (const each of setup.hubs) each.setDown(true);
    const error = await setup.client.discover("risk").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: "UNAVAILABLE", code: Code.Unavailable });
    expect((error as Error).message).toContain(
      "http://hub-a:7000: [unavailable] connect ECONNREFUSED hub-a:7000",
    );
    expect((error as Error).message).toContain("http://hub-b:7000");
    expect(hub.callsOf("Discover")).toHaveLength(1);
  });

  it("with fallback off, throws UNAVAILABLE when the wait ends without a snapshot", async () => {
    const { hub, clock } = start();
    hub.silentWatch = true;
    const pending = expect(
      setup.client.discover("risk", { fallback: false, snapshotWaitMs: 300 }),
    ).rejects.toMatchObject({
      reason: "UNAVAILABLE",
      rawMessage: "no snapshot from any hub within 300 ms",
    });
    await clock.advance(300);
    await pending;
    expect(hub.callsOf("Discover")).toHaveLength(0);
  });

  it("stops waiting when the call's signal fires", async () => {
    const { hub } = start();
    hub.silentWatch = true;
    const abort = new AbortController();
    const pending = setup.client.discover("risk", { signal: abort.signal });
    await settle();
    abort.abort();
    await expect(pending).rejects.toMatchObject({ reason: "ABORTED", code: Code.Canceled });
  });

  it("asks a hub directly when the call's tenant may see other services than the client's", async () => {
    const { registry, hub } = start({ tenant: { companyId: "acme", subscriptionTier: "free" } });
    add(registry, 8001);
    await setup.client.discover("risk");
    const result = await setup.client.discover("risk", {
      tenant: { subscriptionTier: "enterprise", correlationId: "req-7" },
    });
    expect(result.source).toBe("hub");
    const [call] = hub.callsOf("Discover");
    expect(call!.headers).toMatchObject({
      "x-company-id": "acme",
      "x-subscription-tier": "enterprise",
      "x-correlation-id": "req-7",
    });
    // A correlation id alone changes nothing the hub filters on: the cache answers.
    expect((await setup.client.discover("risk", { tenant: { correlationId: "req-8" } })).source).toBe(
      "cache",
    );
  });

  it("rejects bad options and names, and every call after close", async () => {
    start();
    await expect(setup.client.discover("")).rejects.toMatchObject({ reason: "INVALID_OPTIONS" });
    await expect(setup.client.discover("risk", { strategy: "random" as never })).rejects.toMatchObject({
      reason: "INVALID_OPTIONS",
      rawMessage: expect.stringContaining("strategy"),
    });
    await setup.client.close();
    await expect(setup.client.discover("risk")).rejects.toMatchObject({ reason: "CLOSED" });
  });

  it("reports an empty cache state before the first snapshot", () => {
    start();
    expect(setup.client.cacheState()).toEqual({
      loaded: false,
      connected: false,
      revision: 0n,
      services: 0,
      staleForMs: null,
      lastSyncedAt: null,
      hubUrl: null,
    });
  });

  it("lets client.on listeners see every event, and unsubscribe", async () => {
    const { registry } = start();
    add(registry, 8001);
    const seen: string[] = [];
    const off = setup.client.on("watch_connected", (event) => seen.push(event.hubUrl));
    setup.client.on("snapshot", () => {
      throw new Error("a throwing listener is ignored");
    });
    await setup.client.discover("risk");
    off();
    setup.hub.breakStreams();
    await setup.clock.advance(500);
    expect(seen).toEqual(["http://hub-a:7000"]);
  });

  it("rethrows a hub's own error on a direct Discover unchanged", async () => {
    const { hub, clock } = start({ snapshotWaitMs: 10 });
    hub.silentWatch = true;
    const original = hub.transport.unary;
    hub.transport.unary = async () => {
      throw Object.assign(new ConnectError("tier header not allowed", Code.PermissionDenied), {
        isWireError: true,
      });
    };
    const pending = setup.client.discover("risk").catch((caught: unknown) => caught);
    await clock.advance(10);
    expect(await pending).toMatchObject({
      code: Code.PermissionDenied,
      rawMessage: "tier header not allowed",
    });
    hub.transport.unary = original;
  });
});
