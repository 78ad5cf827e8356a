import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InstanceInput } from "../registry/instance-input.js";
import type { Registry } from "../registry/registry.js";
import type { Store } from "../store/store.js";
import type { FakeClock } from "../testing/fake-clock.js";
import { openMemoryRegistry } from "../testing/test-registry.js";
import { everyone } from "./audience.js";
import { Discovery } from "./discover.js";

describe("Discovery", () => {
  let clock: FakeClock;
  let store: Store;
  let registry: Registry;
  let discovery: Discovery;

  const check = (passing: boolean) => ({
    passing,
    reportedStatus: passing ? ("healthy" as const) : ("unhealthy" as const),
    message: passing ? "200 OK" : "503 Service Unavailable",
    latencyMs: 1,
    checkedAt: clock.now(),
    consecutiveSuccesses: passing ? 1 : 0,
    consecutiveFailures: passing ? 0 : 1,
  });
  async function register(port: number, extra: Partial<InstanceInput> = {}) {
    await registry.register({ name: "risk-management", host: "127.0.0.1", port, ...extra });
  }
  async function setHealth(port: number, passing: boolean) {
    await registry.recordCheck(
      "risk-management",
      `127.0.0.1-${port}`,
      check(passing),
      passing ? "healthy" : "unhealthy",
      check(passing).message,
    );
  }

  beforeEach(async () => {
    ({ clock, store, registry } = await openMemoryRegistry());
    discovery = new Discovery(registry.view);
  });
  afterEach(async () => {
    await registry.close();
    await store.close();
  });

  it("recommends only healthy instances and lists them all", async () => {
    await register(8001);
    await register(8002);
    await setHealth(8001, true);
    await setHealth(8002, false);
    for (let i = 0; i < 4; i++) {
      const result = discovery.discover("risk-management", everyone);
      expect(result.recommended?.endpoint).toBe("http://127.0.0.1:8001");
      expect(result.healthy.map((h) => h.endpoint)).toEqual(["http://127.0.0.1:8001"]);
      expect(result.confidence).toBe(1);
    }
  });

  it("says explicitly when no instance is healthy, and still names the best one", async () => {
    await register(8001);
    await setHealth(8001, false);
    const result = discovery.discover("risk-management", everyone);
    expect(result.healthyAvailable).toBe(false);
    expect(result.healthy).toEqual([]);
    expect(result.recommended?.endpoint).toBe("http://127.0.0.1:8001");
    expect(result.confidence).toBeLessThan(0.5);
    expect(result.message).toMatch(/no healthy instance/);
  });

  it("prefers instances not checked yet over unhealthy ones when none is healthy", async () => {
    await register(8001);
    await register(8002);
    await setHealth(8001, false);
    expect(discovery.discover("risk-management", everyone).recommended?.record.port).toBe(8002);
  });

  it("filters by subscription tier: free < pro < enterprise, no requirements = public", async () => {
    await register(8001, {
      subscriptionRequirements: ["pro", "enterprise"],
      healthCheck: { disabled: true },
    });
    expect(() => discovery.discover("risk-management", { kind: "tier", tier: "free" })).toThrow(
      /not registered/,
    );
    expect(discovery.discover("risk-management", { kind: "tier", tier: "pro" }).recommended).toBeDefined();
    expect(
      discovery.discover("risk-management", { kind: "tier", tier: "enterprise" }).recommended,
    ).toBeDefined();
    expect(discovery.discover("risk-management", everyone).recommended).toBeDefined();
    await register(8002, { healthCheck: { disabled: true } });
    const free = discovery.discover("risk-management", { kind: "tier", tier: "free" });
    expect(free.instances.map((i) => i.record.port)).toEqual([8002]);
  });

  it("answers SERVICE_NOT_FOUND for an unknown service", () => {
    expect(() => discovery.discover("nope", everyone)).toThrowError(
      expect.objectContaining({ code: "SERVICE_NOT_FOUND" }),
    );
  });
});
