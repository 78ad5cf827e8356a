import { describe, expect, it } from "vitest";
import type { Instance } from "../registry/instance.js";
import { createLeastLoadSelector, createRoundRobinSelector, createWeightedSelector } from "./selection.js";

function instance(id: string, weight = 100, load = 0): Instance {
  return {
    record: { id, weight } as Instance["record"],
    status: "healthy",
    statusMessage: "",
    load,
    lastCheck: undefined,
    lastHeartbeatAt: undefined,
    leaseExpiresAt: 0,
    endpoint: `http://${id}:80`,
  };
}

function pick(times: number, select: () => Instance): string[] {
  return Array.from({ length: times }, () => select().record.id);
}

/** A deterministic random source cycling through the given values. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe("round robin", () => {
  it("cycles through the candidates in order, one cursor per service", () => {
    const selector = createRoundRobinSelector();
    const list = [instance("a"), instance("b"), instance("c")];
    expect(pick(4, () => selector.select("x", list))).toEqual(["a", "b", "c", "a"]);
    expect(selector.select("y", list).record.id).toBe("a");
  });
});

describe("weighted", () => {
  it("chooses each instance in proportion to its weight over a full window", () => {
    const selector = createWeightedSelector();
    const list = [instance("a", 500), instance("b", 200), instance("c", 100)];
    const picks = pick(800, () => selector.select("x", list));
    const count = (id: string) => picks.filter((p) => p === id).length;
    expect([count("a"), count("b"), count("c")]).toEqual([500, 200, 100]);
  });

  it("interleaves a heavy instance instead of sending it a burst (smooth weighted round robin)", () => {
    const selector = createWeightedSelector();
    const list = [instance("a", 5), instance("b", 1), instance("c", 1)];
    expect(pick(7, () => selector.select("x", list))).toEqual(["a", "a", "b", "a", "c", "a", "a"]);
  });
});

describe("least load (power of two choices)", () => {
  it("takes the less loaded of the two sampled candidates", () => {
    const list = [instance("a", 100, 0.9), instance("b", 100, 0.1), instance("c", 100, 0.5)];
    // random 0.0 -> first = a; random 0.0 -> second = index 0 of the rest = b.
    expect(createLeastLoadSelector(sequence(0, 0)).select("x", list).record.id).toBe("b");
    // first = c (0.99 * 3 = 2), second = a (0 of [a, b]): c (0.5) beats a (0.9).
    expect(createLeastLoadSelector(sequence(0.99, 0)).select("x", list).record.id).toBe("c");
  });

  it("never samples the same candidate twice", () => {
    const list = [instance("a", 100, 0.9), instance("b", 100, 0.1)];
    // Both draws map to index 0; the second is shifted past the first, so b is compared.
    expect(createLeastLoadSelector(sequence(0, 0)).select("x", list).record.id).toBe("b");
  });

  it("sends most picks to the idle instance when loads differ a lot", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const selector = createLeastLoadSelector(random);
    const list = [instance("idle", 100, 0), instance("busy1", 100, 5), instance("busy2", 100, 9)];
    const picks = pick(3000, () => selector.select("x", list));
    const idle = picks.filter((p) => p === "idle").length;
    // The idle one wins every sample it is in: 2 of the 3 possible pairs.
    expect(idle / picks.length).toBeGreaterThan(0.6);
    expect(picks).not.toContain("busy2");
  });
});
