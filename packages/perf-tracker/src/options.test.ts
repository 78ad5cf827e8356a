import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { performanceClock } from "./clock.js";
import {
  defaultPerformanceTrackerOptions,
  type PerformanceTrackerOptions,
  resolvePerformanceTrackerOptions,
  resolvePrometheusExporterOptions,
} from "./options.js";
import { PerfTrackerError } from "./perf-tracker-error.js";

describe("resolvePerformanceTrackerOptions", () => {
  it("applies the documented defaults", () => {
    expect(resolvePerformanceTrackerOptions("svc", undefined)).toEqual({
      serviceName: "svc",
      clock: performanceClock,
      windowMs: 60_000,
      bucketMs: 1_000,
      maxDurationMs: 60_000,
      significantDigits: 3,
      maxOperations: 200,
    });
    expect(defaultPerformanceTrackerOptions.clock).toBe(performanceClock);
  });

  it("treats a field set to undefined as unset", () => {
    // JavaScript callers can pass undefined even though the type forbids it.
    const options = { windowMs: undefined } as unknown as PerformanceTrackerOptions;
    expect(resolvePerformanceTrackerOptions("svc", options).windowMs).toBe(60_000);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a clock without now()", { clock: {} }, /^clock: must be an object with a now\(\) method$/],
    ["a fractional window", { windowMs: 1.5 }, /^windowMs: /],
    [
      "a window that is not a whole number of buckets",
      { windowMs: 1_500, bucketMs: 1_000 },
      /^windowMs: must be a whole number of buckets/,
    ],
    ["too many buckets", { windowMs: 3_601_000, bucketMs: 1_000 }, /at most 3600/],
    ["a zero bucket", { bucketMs: 0 }, /^bucketMs: /],
    ["a range past one day", { maxDurationMs: 86_400_001 }, /^maxDurationMs: /],
    ["6 significant digits", { significantDigits: 6 }, /^significantDigits: /],
    ["no operations", { maxOperations: 0 }, /^maxOperations: /],
    ["an unknown option", { windowSize: 10 }, /windowSize/],
  ])("refuses %s", (_, options, message) => {
    const error = capture(() =>
      resolvePerformanceTrackerOptions("svc", options as PerformanceTrackerOptions),
    );
    expect(error).toBeInstanceOf(PerfTrackerError);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect((error as PerfTrackerError).message).toMatch(message);
  });
});

describe("resolvePrometheusExporterOptions", () => {
  it("defaults to the perf_ prefix and a private registry", () => {
    const first = resolvePrometheusExporterOptions(undefined);
    const second = resolvePrometheusExporterOptions({});
    expect(first.prefix).toBe("perf_");
    expect(first.registry).toBeInstanceOf(Registry);
    expect(first.registry).not.toBe(second.registry);
  });

  it("keeps a registry and prefix it is given", () => {
    const registry = new Registry();
    expect(resolvePrometheusExporterOptions({ registry, prefix: "" })).toEqual({ registry, prefix: "" });
  });

  it.each([["1abc"], ["with-dash_"], ["spaces "]])("refuses the prefix %j", (prefix) => {
    expect(() => resolvePrometheusExporterOptions({ prefix })).toThrow(/^prefix: must match/);
  });

  it("refuses a registry that is not one", () => {
    const registry = {} as Registry;
    expect(() => resolvePrometheusExporterOptions({ registry })).toThrow(
      /^registry: must be a prom-client Registry$/,
    );
  });
});

function capture(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
