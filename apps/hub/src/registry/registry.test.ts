import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubError } from "../errors/hub-error.js";
import type { Store } from "../store/store.js";
import type { FakeClock } from "../testing/fake-clock.js";
import { openMemoryRegistry } from "../testing/test-registry.js";
import type { InstanceInput } from "./instance-input.js";
import { Registry } from "./registry.js";
import { defaultRegistryDefaults, defaultRegistryLimits } from "./registry-options.js";

const TTL = 10_000;
const DEREGISTER_AFTER = 60_000;

function input(overrides: Partial<InstanceInput> = {}): InstanceInput {
  return {
    name: "data-bridge",
    host: "10.0.0.5",
    port: 8001,
    ttlMs: TTL,
    deregisterCriticalAfterMs: DEREGISTER_AFTER,
    healthCheck: { disabled: true },
    ...overrides,
  };
}

describe("Registry", () => {
  let clock: FakeClock;
  let store: Store;
  let registry: Registry;

  beforeEach(async () => {
    ({ clock, store, registry } = await openMemoryRegistry());
  });

  afterEach(async () => {
    await registry.close();
    await store.close();
  });

  const status = (id = "10.0.0.5-8001") => registry.view.getInstance("data-bridge", id)?.status;

  it("derives a stable id from host and port, so registering again updates instead of duplicating", async () => {
    const first = await registry.register(input({ version: "1.0.0" }));
    clock.advance(1000);
    const second = await registry.register(input({ version: "1.1.0" }));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.instance.record.id).toBe("10.0.0.5-8001");
    expect(second.instance.record.version).toBe("1.1.0");
    expect(second.instance.record.registeredAt).toBe(first.instance.record.registeredAt);
    expect(registry.view.getService("data-bridge")?.ordered).toHaveLength(1);
  });

  it("keeps an instance healthy while heartbeats renew its lease", async () => {
    await registry.register(input());
    for (let i = 0; i < 5; i++) {
      await clock.advanceAsync(TTL - 1000);
      await registry.heartbeat("data-bridge", "10.0.0.5-8001", 0.4);
    }
    expect(status()).toBe("healthy");
    expect(registry.view.getInstance("data-bridge", "10.0.0.5-8001")?.load).toBe(0.4);
  });

  it("marks an instance unhealthy when its lease runs out, then removes it after deregister_critical_after", async () => {
    await registry.register(input());
    await clock.advanceAsync(TTL - 1);
    expect(status()).toBe("healthy");
    await clock.advanceAsync(1);
    expect(status()).toBe("unhealthy");
    expect(registry.view.getInstance("data-bridge", "10.0.0.5-8001")?.statusMessage).toMatch(/lease expired/);
    await clock.advanceAsync(DEREGISTER_AFTER - 1);
    expect(status()).toBe("unhealthy");
    await clock.advanceAsync(1);
    expect(status()).toBeUndefined();
    expect(registry.view.getService("data-bridge")).toBeUndefined();
  });

  it("revives an instance whose lease lapsed when it heartbeats again", async () => {
    await registry.register(input());
    await clock.advanceAsync(TTL + 5000);
    expect(status()).toBe("unhealthy");
    await registry.heartbeat("data-bridge", "10.0.0.5-8001");
    expect(status()).toBe("healthy");
    // The removal deadline moved too: a full TTL + grace later it is still there.
    await clock.advanceAsync(TTL + DEREGISTER_AFTER - 1);
    expect(status()).toBe("unhealthy");
  });

  it("answers NOT_FOUND to a heartbeat for an instance it forgot, so the caller re-registers", async () => {
    await registry.register(input());
    await clock.advanceAsync(TTL + DEREGISTER_AFTER);
    await expect(registry.heartbeat("data-bridge", "10.0.0.5-8001")).rejects.toMatchObject({
      code: "INSTANCE_NOT_FOUND",
    });
  });

  it("deregisters at once and refuses to deregister twice", async () => {
    await registry.register(input());
    await registry.deregister("data-bridge", "10.0.0.5-8001");
    expect(status()).toBeUndefined();
    await expect(registry.deregister("data-bridge", "10.0.0.5-8001")).rejects.toBeInstanceOf(HubError);
  });

  it("takes the damped check result as the status, and a passing check renews the lease", async () => {
    await registry.register(input({ healthCheck: { intervalMs: 5000, timeoutMs: 1000 } }));
    expect(status()).toBe("unknown");
    const check = {
      passing: true,
      reportedStatus: "healthy" as const,
      message: "200 OK",
      latencyMs: 1,
      checkedAt: clock.now(),
      consecutiveSuccesses: 1,
      consecutiveFailures: 0,
    };
    await registry.recordCheck("data-bridge", "10.0.0.5-8001", check, "healthy", "200 OK");
    expect(status()).toBe("healthy");
    // No heartbeats at all: passing checks alone keep the lease.
    for (let i = 0; i < 4; i++) {
      await clock.advanceAsync(TTL - 1000);
      await registry.recordCheck(
        "data-bridge",
        "10.0.0.5-8001",
        { ...check, checkedAt: clock.now() },
        "healthy",
        "200 OK",
      );
    }
    expect(status()).toBe("healthy");
    await registry.recordCheck(
      "data-bridge",
      "10.0.0.5-8001",
      { ...check, passing: false },
      "unhealthy",
      "503",
    );
    expect(status()).toBe("unhealthy");
    expect(registry.view.getInstance("data-bridge", "10.0.0.5-8001")?.statusMessage).toBe("503");
  });

  it("refuses registrations past the per-service instance limit", async () => {
    const limited = await Registry.open({
      store,
      clock,
      limits: { ...defaultRegistryLimits, maxInstancesPerService: 2 },
      defaults: defaultRegistryDefaults,
    });
    await limited.register(input({ port: 1 }));
    await limited.register(input({ port: 2 }));
    await limited.register(input({ port: 2, version: "2" })); // an update is not a new instance
    await expect(limited.register(input({ port: 3 }))).rejects.toMatchObject({ code: "RESOURCE_EXHAUSTED" });
    await limited.close();
  });

  it("replays the changes a watcher missed, or asks for a snapshot when they are gone", async () => {
    const small = await Registry.open({
      store,
      clock,
      limits: defaultRegistryLimits,
      defaults: defaultRegistryDefaults,
      historyLimit: 4,
    });
    await small.register(input({ port: 1 }));
    const seen = small.revision;
    await small.register(input({ port: 2 }));
    const missed = small.changesSince(seen);
    expect(missed?.map((c) => c.id)).toEqual(["10.0.0.5-2"]);
    for (let port = 3; port < 8; port++) await small.register(input({ port }));
    expect(small.changesSince(seen)).toBeUndefined();
    await small.close();
  });

  it.each([
    [{ name: "Data_Bridge" }, "name"],
    [{ port: 0 }, "port"],
    [{ port: 65536 }, "port"],
    [{ host: "exa mple" }, "host"],
    [{ protocol: "ftp" }, "protocol"],
    [{ subscriptionRequirements: ["gold"] }, "subscription_requirements"],
    [{ healthCheck: { intervalMs: 1000, timeoutMs: 1000 } }, "health_check.timeout"],
    [{ tags: Array.from({ length: 40 }, (_, i) => `t${i}`) }, "tags"],
  ] as Array<[Partial<InstanceInput>, string]>)("rejects %o naming the field %s", async (bad, field) => {
    const error = await registry.register(input(bad)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe("INVALID_ARGUMENT");
    expect((error as HubError).message.startsWith(field)).toBe(true);
  });

  it("accepts IPv6 literals and brackets them in the endpoint", async () => {
    const { instance } = await registry.register(input({ host: "::1", port: 9000 }));
    expect(instance.endpoint).toBe("http://[::1]:9000");
  });
});
