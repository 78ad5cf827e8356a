import { describe, expect, it } from "vitest";
import { type PatternSample, PatternStore } from "./pattern-store.js";
import type { Classification } from "./rules/rule-catalog.js";

const classification: Classification = {
  category: "unknown",
  severity: "medium",
  actions: [],
  matchedRules: [],
  code: undefined,
};
const spike = { windowMs: 60_000, baselineMs: 600_000, factor: 3, minCount: 5 };

function sample(at: number, message = "m"): PatternSample {
  return { message, at, context: undefined };
}

describe("PatternStore", () => {
  it("counts occurrences and keeps first and last seen", () => {
    const store = new PatternStore({ maxPatterns: 10, maxSamples: 2, spike });
    store.record("p", sample(5), classification);
    store.record("p", sample(3), classification);
    const record = store.record("p", sample(9), classification);
    expect(record.occurrences).toBe(3);
    expect(record.firstSeen).toBe(3);
    expect(record.lastSeen).toBe(9);
  });

  it("keeps only the newest maxSamples samples", () => {
    const store = new PatternStore({ maxPatterns: 10, maxSamples: 2, spike });
    for (let i = 0; i < 5; i++) store.record("p", sample(i, `m${i}`), classification);
    expect(store.get("p")?.samples.map((s) => s.message)).toEqual(["m3", "m4"]);
  });

  it("evicts one-off patterns before recurring ones, least recently seen first", () => {
    const store = new PatternStore({ maxPatterns: 3, maxSamples: 1, spike });
    store.record("frequent", sample(0), classification);
    store.record("frequent", sample(1), classification);
    store.record("once-a", sample(2), classification);
    store.record("once-b", sample(3), classification);
    store.record("once-c", sample(4), classification);
    expect(store.evictOverflow("once-c")).toEqual(["once-a"]);
    expect(store.get("frequent")).toBeDefined();
    expect(store.size).toBe(3);
  });

  it("still admits new patterns when recurring ones fill it", () => {
    const store = new PatternStore({ maxPatterns: 5, maxSamples: 1, spike });
    for (let i = 0; i < 5; i++) {
      store.record(`hot${i}`, sample(i), classification);
      store.record(`hot${i}`, sample(i), classification);
    }
    store.record("new", sample(10), classification);
    const evicted = store.evictOverflow("new");
    expect(evicted).toEqual(["hot0"]);
    expect(store.get("new")).toBeDefined();
  });

  it("merges counts, times and samples into the surviving pattern", () => {
    const store = new PatternStore({ maxPatterns: 10, maxSamples: 3, spike });
    store.record("a", sample(10, "a1"), classification);
    store.record("b", sample(5, "b1"), classification);
    store.record("b", sample(20, "b2"), classification);
    store.merge("b", "a");
    const merged = store.get("a");
    expect(store.get("b")).toBeUndefined();
    expect(merged?.occurrences).toBe(3);
    expect(merged?.firstSeen).toBe(5);
    expect(merged?.lastSeen).toBe(20);
    expect(merged?.samples.map((s) => s.message)).toEqual(["b1", "a1", "b2"]);
  });

  it("moves statistics to the surviving id when only the absorbed pattern had them", () => {
    const store = new PatternStore({ maxPatterns: 10, maxSamples: 3, spike });
    store.record("b", sample(1), classification);
    store.merge("b", "a");
    expect(store.get("a")?.occurrences).toBe(1);
    expect(store.get("a")?.id).toBe("a");
  });
});
