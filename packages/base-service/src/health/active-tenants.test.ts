import { describe, expect, it } from "vitest";
import { FakeClock } from "@hub/test-support";
import { ActiveTenants } from "./active-tenants.js";

describe("ActiveTenants", () => {
  it("counts companies seen within the window, a repeat refreshing its time", async () => {
    const clock = new FakeClock();
    const tenants = new ActiveTenants(clock, 60_000);
    tenants.record("a");
    tenants.record("b");
    tenants.record("a");
    expect(tenants.count()).toBe(2);
    await clock.advance(30_000);
    tenants.record("a");
    await clock.advance(30_000);
    expect(tenants.count()).toBe(1);
    await clock.advance(30_000);
    expect(tenants.count()).toBe(0);
  });

  it("forgets the least recently seen company past maxTracked", () => {
    const tenants = new ActiveTenants(new FakeClock(), 60_000, 2);
    tenants.record("a");
    tenants.record("b");
    tenants.record("a");
    tenants.record("c");
    expect(tenants.count()).toBe(2);
  });
});
