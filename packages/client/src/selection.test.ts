import { describe, expect, it } from "vitest";
import {
  createLeastLoadSelector,
  createRoundRobinSelector,
  createSelectors,
  createWeightedSelector,
  type Selectable,
} from "./selection.js";

// Ported from apps/hub/src/discovery/selection.test.ts: the client must pick exactly as the hub does.

function instance(id: string, weight = 100, load = 0): Selectable {
  return { id, weight, load };
}

function pick(times: number, select: () => Selectable): string[] {
  return Array.from({ length: times }, () => select().id);
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
    expect(selector.select("y", list).id).toBe("a");
  });

  it("keeps cycling when the candidate list shrinks", () => {
    const selector = createRoundRobinSelector();
    const list = [instance("a"), instance("b"), instance("c")];
    expect(pick(2, () => selector.select("x", list))).toEqual(["a", "b"]);
    expect(pick(2, () => selector.select("x", list.slice(0, 2)))).toEqual(["a", "b"]);
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

  it("keeps scores per service and forgets instances that are gone", () => {
    const selector = createWeightedSelector();
    const many = Array.from({ length: 6 }, (_, i) => instance(`i${i}`, 1));
    pick(6, () => selector.select("x", many));
    const few = [instance("i0", 1)];
    expect(pick(3, () => selector.select("x", few))).toEqual(["i0", "i0", "i0"]);
    expect(selector.select("y", [instance("a", 5), instance("b", 1)]).id).toBe("a");
  });
});

describe("least load (power of two choices)", () => {
  it("takes the less loaded of the two sampled candidates", () => {
    const list = [instance("a", 100, 0.9), instance("b", 100, 0.1), instance("c", 100, 0.5)];
    // random 0.0 -> first = a; random 0.0 -> second = index 0 of the rest = b.
    expect(createLeastLoadSelector(sequence(0, 0)).select("x", list).id).toBe("b");
    // first = c (0.99 * 3 = 2), second = a (0 of [a, b]): c (0.5) beats a (0.9).
    expect(createLeastLoadSelector(sequence(0.99, 0)).select("x", list).id).toBe("c");
  });

  it("never samples the same candidate twice", () => {
    const list = [instance("a", 100, 0.9), instance("b", 100, 0.1)];
    // Both draws map to index 0; the second is shifted past the first, so b is compared.
    expect(createLeastLoadSelector(sequence(0, 0)).select("x", list).id).toBe("b");
  });

  it("returns the only candidate without drawing", () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.5;
    };
    expect(createLeastLoadSelector(random).select("x", [instance("a")]).id).toBe("a");
    expect(draws).toBe(0);
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

describe("createSelectors", () => {
  it("returns the objects it was given, with their extra fields", () => {
    const selectors = createSelectors(sequence(0, 0));
    const list = [
      { ...instance("a", 100, 1), url: "http://a" },
      { ...instance("b", 100, 0), url: "http://b" },
    ];
    expect(selectors.least_load.select("x", list).url).toBe("http://b");
    expect(selectors.round_robin.select("x", list).url).toBe("http://a");
    expect(selectors.weighted.select("x", list).url).toBe("http://a");
  });
});
