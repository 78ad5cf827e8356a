import { describe, expect, it } from "vitest";
import { backoffDelay, jitteredInterval } from "./backoff.js";

const options = { initialMs: 500, maxMs: 30_000, multiplier: 2, jitter: 0.5 };

describe("backoffDelay", () => {
  it.each([
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [6, 16_000],
    [7, 30_000],
    [1_000, 30_000],
  ])("after %i failures waits %i ms when the jitter draws 0", (failures, expected) => {
    expect(backoffDelay(failures, options, () => 0)).toBe(expected);
  });

  it("takes up to `jitter` of the delay off at random", () => {
    expect(backoffDelay(3, options, () => 0.5)).toBe(1_500);
    expect(backoffDelay(3, options, () => 0.999)).toBe(1_001);
    expect(backoffDelay(3, { ...options, jitter: 0 }, () => 0.999)).toBe(2_000);
  });

  it("treats zero failures like the first", () => {
    expect(backoffDelay(0, options, () => 0)).toBe(500);
  });
});

describe("jitteredInterval", () => {
  it("comes early by up to the jitter fraction, never late", () => {
    expect(jitteredInterval(10_000, 0.1, () => 0)).toBe(10_000);
    expect(jitteredInterval(10_000, 0.1, () => 0.5)).toBe(9_500);
    expect(jitteredInterval(10_000, 0.1, () => 0.999)).toBe(9_001);
  });
});
