import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { overflowOperationName } from "./options.js";
import { PerfTrackerError } from "./perf-tracker-error.js";
import { PerformanceTracker } from "./performance-tracker.js";

function setup(options: { maxOperations?: number } = {}) {
  const clock = new FakeClock(1_000);
  const tracker = new PerformanceTracker("orders", { clock, ...options });
  return { clock, tracker };
}

describe("PerformanceTracker.measure", () => {
  it("returns a sync function's result synchronously and records its duration", () => {
    const { clock, tracker } = setup();
    const result = tracker.measure("parse", () => {
      clock.advance(3);
      return 42;
    });
    expect(result).toBe(42);
    const op = tracker.snapshot().operations.parse!;
    expect(op).toMatchObject({ count: 1, errors: 0, sumMs: 3 });
    expect(op.latencyMs).toEqual({ p50: 3, p90: 3, p99: 3, p999: 3, max: 3, mean: 3 });
  });

  it("rethrows a sync throw unchanged and counts it as an error", () => {
    const { clock, tracker } = setup();
    const failure = new Error("boom");
    let caught: unknown;
    try {
      tracker.measure("parse", () => {
        clock.advance(2);
        throw failure;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(failure);
    expect(tracker.snapshot().operations.parse).toMatchObject({ count: 1, errors: 1, sumMs: 2 });
  });

  it("times an async function until it settles and resolves with its value", async () => {
    const { clock, tracker } = setup();
    let release!: (value: string) => void;
    const pending = tracker.measure("fetch", () => new Promise<string>((resolve) => (release = resolve)));
    expect(pending).toBeInstanceOf(Promise);
    expect(tracker.snapshot().operations.fetch).toBeUndefined();
    clock.advance(25);
    release("done");
    await expect(pending).resolves.toBe("done");
    expect(tracker.snapshot().operations.fetch).toMatchObject({ count: 1, errors: 0, sumMs: 25 });
  });

  it("rejects with the same error when an async function rejects, and counts it", async () => {
    const { clock, tracker } = setup();
    const failure = new Error("down");
    const pending = tracker.measure("fetch", async () => {
      clock.advance(7);
      throw failure;
    });
    await expect(pending).rejects.toBe(failure);
    expect(tracker.snapshot().operations.fetch).toMatchObject({ count: 1, errors: 1, sumMs: 7 });
  });

  it("adopts a foreign thenable and hands back a real promise", async () => {
    const { clock, tracker } = setup();
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: the test needs a thenable that is not a Promise.
      then(onFulfilled: (value: number) => void) {
        clock.advance(6);
        onFulfilled(5);
      },
    };
    const result: unknown = tracker.measure("legacy", () => thenable);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(5);
    expect(tracker.snapshot().operations.legacy).toMatchObject({ count: 1, sumMs: 6 });
  });

  it("reports percentiles of durations read from the clock", () => {
    const { clock, tracker } = setup();
    // 1..1000 µs: below 2048 µs the histogram is exact, so the percentiles are too.
    for (let micros = 1; micros <= 1000; micros++) {
      tracker.measure("op", () => clock.advance(micros / 1000));
    }
    const { latencyMs } = tracker.snapshot().operations.op!;
    expect(latencyMs).toEqual({
      p50: 0.5,
      p90: 0.9,
      p99: 0.99,
      p999: 0.999,
      max: expect.closeTo(1, 9),
      mean: expect.closeTo(0.5005, 9),
    });
  });
});

describe("PerformanceTracker.startTimer", () => {
  it("records the call once, on the first end(), and returns its duration", () => {
    const { clock, tracker } = setup();
    const timer = tracker.startTimer("job");
    clock.advance(12);
    expect(timer.end()).toBe(12);
    clock.advance(100);
    expect(timer.end({ failed: true })).toBe(12);
    expect(tracker.snapshot().operations.job).toMatchObject({ count: 1, errors: 0, sumMs: 12 });
  });

  it("counts a timer ended with failed: true as an error", () => {
    const { clock, tracker } = setup();
    const timer = tracker.startTimer("job");
    clock.advance(4);
    timer.end({ failed: true });
    expect(tracker.snapshot().operations.job).toMatchObject({ count: 1, errors: 1 });
  });
});

describe("PerformanceTracker.record", () => {
  it("records a duration measured elsewhere", () => {
    const { tracker } = setup();
    tracker.record("request", 30);
    tracker.record("request", 10, { failed: true });
    expect(tracker.snapshot().operations.request).toMatchObject({ count: 2, errors: 1, sumMs: 40 });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses the duration %s", (durationMs) => {
    const { tracker } = setup();
    expect(() => tracker.record("request", durationMs)).toThrow(PerfTrackerError);
  });
});

describe("PerformanceTracker counters and gauges", () => {
  it("adds to counters, by 1 unless told otherwise", () => {
    const { tracker } = setup();
    tracker.increment("cache.miss");
    tracker.increment("cache.miss");
    tracker.increment("bytes", 512);
    tracker.increment("bytes", 0.5);
    expect(tracker.snapshot().counters).toEqual({ bytes: 512.5, "cache.miss": 2 });
  });

  it("keeps the last value of each gauge, negative ones included", () => {
    const { tracker } = setup();
    tracker.setGauge("queue.depth", 10);
    tracker.setGauge("queue.depth", 3);
    tracker.setGauge("drift", -1.5);
    expect(tracker.snapshot().gauges).toEqual({ drift: -1.5, "queue.depth": 3 });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses to add %s to a counter", (by) => {
    const { tracker } = setup();
    const error = captureError(() => tracker.increment("x", by));
    expect(error).toBeInstanceOf(PerfTrackerError);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", details: { field: "by" } });
  });

  it.each([Number.NaN, Number.NEGATIVE_INFINITY])("refuses to set a gauge to %s", (value) => {
    const { tracker } = setup();
    expect(() => tracker.setGauge("x", value)).toThrow(/^value: must be a finite number/);
  });
});

describe("PerformanceTracker.snapshot", () => {
  it("has the documented shape", () => {
    const { clock, tracker } = setup();
    tracker.measure("b", () => clock.advance(2));
    tracker.measure("a", () => clock.advance(4));
    tracker.increment("hits");
    tracker.setGauge("level", 0.5);
    clock.advance(1_994);
    const window = { count: 1, errors: 0, throughputRps: 0.5, errorRatePercent: 0 };
    expect(tracker.snapshot()).toEqual({
      service: "orders",
      elapsedMs: 2_000,
      windowMs: 60_000,
      operations: {
        a: {
          count: 1,
          errors: 0,
          sumMs: 4,
          latencyMs: { p50: 4, p90: 4, p99: 4, p999: 4, max: 4, mean: 4 },
          window: { ...window, meanMs: 4 },
        },
        b: {
          count: 1,
          errors: 0,
          sumMs: 2,
          latencyMs: { p50: 2, p90: 2, p99: 2, p999: 2, max: 2, mean: 2 },
          window: { ...window, meanMs: 2 },
        },
      },
      window: { count: 2, errors: 0, meanMs: 3, throughputRps: 1, errorRatePercent: 0 },
      counters: { hits: 1 },
      gauges: { level: 0.5 },
    });
    expect(Object.keys(tracker.snapshot().operations)).toEqual(["a", "b"]);
  });

  it("is plain JSON-safe data, even for awkward names", () => {
    const { clock, tracker } = setup();
    tracker.measure("__proto__", () => clock.advance(1));
    tracker.increment("constructor");
    const snapshot = tracker.snapshot();
    expect(Object.hasOwn(snapshot.operations, "__proto__")).toBe(true);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it("reports zeros, never NaN, for a tracker that saw nothing", () => {
    const { tracker } = setup();
    expect(tracker.snapshot().window).toEqual({
      count: 0,
      errors: 0,
      meanMs: 0,
      throughputRps: 0,
      errorRatePercent: 0,
    });
  });
});

describe("PerformanceTracker.reset", () => {
  it("forgets operations, counters and gauges and restarts the elapsed time", () => {
    const { clock, tracker } = setup();
    tracker.measure("op", () => clock.advance(5));
    tracker.increment("hits");
    tracker.setGauge("level", 1);
    clock.advance(100);
    tracker.reset();
    clock.advance(10);
    expect(tracker.snapshot()).toMatchObject({ elapsedMs: 10, operations: {}, counters: {}, gauges: {} });
    expect(tracker.snapshot().window.count).toBe(0);
  });
});

describe("PerformanceTracker operation limit", () => {
  it("records names past maxOperations under one overflow operation", () => {
    const { tracker } = setup({ maxOperations: 2 });
    for (const name of ["a", "b", "c", "d", "a"]) tracker.record(name, 1);
    const operations = tracker.snapshot().operations;
    expect(Object.keys(operations)).toEqual([overflowOperationName, "a", "b"]);
    expect(operations[overflowOperationName]?.count).toBe(2);
    expect(operations.a?.count).toBe(2);
  });
});

describe("new PerformanceTracker", () => {
  it("refuses an empty service name", () => {
    expect(() => new PerformanceTracker("")).toThrow(/^serviceName: must be a non-empty string$/);
  });
});

function captureError(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
