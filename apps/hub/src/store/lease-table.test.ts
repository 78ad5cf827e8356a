import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { LeaseTable } from "./lease-table.js";

function table() {
  const clock = new FakeClock();
  const expired: number[] = [];
  const leases: LeaseTable = new LeaseTable(clock, (id) => {
    expired.push(id);
    leases.remove(id);
  });
  return { clock, leases, expired };
}

describe("LeaseTable", () => {
  it("expires each lease exactly at its TTL, in order, with one timer for all of them", () => {
    const { clock, leases, expired } = table();
    leases.grant(1, 3000);
    leases.grant(2, 1000);
    leases.grant(3, 2000);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([2]);
    clock.advance(2000);
    expect(expired).toEqual([2, 3, 1]);
    expect(leases.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("a renewal moves the expiry a full TTL from the renewal", () => {
    const { clock, leases, expired } = table();
    const lease = leases.grant(1, 1000);
    clock.advance(900);
    leases.renew(lease);
    clock.advance(999);
    expect(expired).toEqual([]);
    expect(leases.isDue(lease)).toBe(false);
    clock.advance(1);
    expect(expired).toEqual([1]);
  });

  it("never expires a removed lease, and stays exact after many removals", () => {
    const { clock, leases, expired } = table();
    for (let id = 1; id <= 5000; id++) leases.grant(id, 1000 + id);
    for (let id = 1; id <= 4990; id++) leases.remove(id);
    clock.advance(10_000);
    expect(expired).toEqual([4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
  });

  it("a lease granted sooner than the armed timer fires on time", () => {
    const { clock, leases, expired } = table();
    leases.grant(1, 10_000);
    clock.advance(100);
    leases.grant(2, 50);
    clock.advance(50);
    expect(expired).toEqual([2]);
    expect(clock.pendingTimers()).toBe(1);
  });

  it("stops its timer when the store closes", () => {
    const { clock, leases } = table();
    leases.grant(1, 1000);
    leases.stopTimers();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("tracks a lease's keys, few or many, through moves", () => {
    const { leases } = table();
    const one = leases.grant(1, 1000);
    const two = leases.grant(2, 1000);
    for (let k = 0; k < 20; k++) leases.move(`k${k}`, 0, 1);
    leases.move("k0", 0, 1);
    leases.move("k3", 1, 2);
    leases.move("k4", 1, 0);
    expect(leases.keysOf(one).sort()).toEqual(
      Array.from({ length: 20 }, (_, k) => `k${k}`)
        .filter((k) => k !== "k3" && k !== "k4")
        .sort(),
    );
    expect(leases.keysOf(two)).toEqual(["k3"]);
    leases.move("k3", 2, 0);
    expect(leases.keysOf(two)).toEqual([]);
  });

  it("keeps one, two and three keys exactly as they come and go", () => {
    const { leases } = table();
    const lease = leases.grant(1, 1000);
    const steps: [string, number, number, string[]][] = [
      ["a", 0, 1, ["a"]],
      ["a", 0, 1, ["a"]],
      ["b", 0, 1, ["a", "b"]],
      ["c", 0, 1, ["a", "b", "c"]],
      ["b", 1, 0, ["a", "c"]],
      ["a", 1, 0, ["c"]],
      ["x", 1, 0, ["c"]],
      ["c", 1, 0, []],
      ["d", 0, 1, ["d"]],
    ];
    for (const [key, from, to, expected] of steps) {
      leases.move(key, from, to);
      expect(leases.keysOf(lease)).toEqual(expected);
    }
  });
});
