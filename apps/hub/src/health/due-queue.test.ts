import { describe, expect, it } from "vitest";
import { DueQueue } from "./due-queue.js";
import { jitterOffsetMs } from "./jitter.js";

describe("DueQueue", () => {
  it("pops due values earliest first, ties in insertion order, and nothing early", () => {
    const queue = new DueQueue<string>();
    for (const [at, value] of [
      [30, "c"],
      [10, "a1"],
      [20, "b"],
      [10, "a2"],
      [40, "d"],
    ] as const)
      queue.push(at, value);
    const popped: string[] = [];
    for (let v = queue.popDue(30); v !== undefined; v = queue.popDue(30)) popped.push(v);
    expect(popped).toEqual(["a1", "a2", "b", "c"]);
    expect(queue.peekDueAt()).toBe(40);
    expect(queue.popDue(39)).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it("stays ordered over many random pushes", () => {
    const queue = new DueQueue<number>();
    let seed = 42;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      queue.push(seed % 1000, i);
    }
    let last = -1;
    let count = 0;
    for (let at = queue.peekDueAt(); at !== undefined; at = queue.peekDueAt()) {
      expect(at).toBeGreaterThanOrEqual(last);
      last = at;
      queue.popDue(at);
      count++;
    }
    expect(count).toBe(5000);
  });
});

describe("jitterOffsetMs", () => {
  it("stays within [0, intervalMs * ratio) and is stable per key", () => {
    for (let i = 0; i < 1000; i++) {
      const offset = jitterOffsetMs(`svc-${i}`, 10_000, 0.1);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(1000);
      expect(jitterOffsetMs(`svc-${i}`, 10_000, 0.1)).toBe(offset);
    }
  });

  it("is 0 when the ratio or the span is 0", () => {
    expect(jitterOffsetMs("a", 10_000, 0)).toBe(0);
    expect(jitterOffsetMs("a", 5, 0.1)).toBe(0);
  });
});
