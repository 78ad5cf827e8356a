import type { PerfClock } from "./clock.js";
import { OperationStats } from "./operation-stats.js";
import {
  overflowOperationName,
  type PerformanceTrackerOptions,
  type ResolvedPerformanceTrackerOptions,
  resolvePerformanceTrackerOptions,
} from "./options.js";
import { invalidArgument } from "./perf-tracker-error.js";
import { toWindowSnapshot, type WindowTotals, windowCoveredMs } from "./sliding-window.js";
import type { OperationSnapshot, PerformanceSnapshot } from "./snapshot.js";
import { createTimer, type Timer } from "./timer.js";

/**
 * Measures a service's operations: latency percentiles per operation (HDR histograms), throughput
 * and error rate over a sliding window, plus named counters and gauges. Single-threaded and
 * allocation-light, so it can sit on every request.
 *
 * @example
 * const tracker = new PerformanceTracker("orders");
 * const order = await tracker.measure("db.load-order", () => db.load(id));
 * tracker.increment("cache.miss");
 * const { window } = tracker.snapshot(); // { count, errors, meanMs, throughputRps, errorRatePercent }
 */
export class PerformanceTracker {
  /** The name given at construction; the `service` of snapshots and Prometheus labels. */
  readonly serviceName: string;
  private readonly options: ResolvedPerformanceTrackerOptions;
  private readonly clock: PerfClock;
  private operations = new Map<string, OperationStats>();
  private counters = new Map<string, number>();
  private gauges = new Map<string, number>();
  private startedAt: number;

  /**
   * @param serviceName Names the service in snapshots and exported metrics; non-empty.
   * @throws PerfTrackerError INVALID_ARGUMENT for an empty name or a bad option.
   */
  constructor(serviceName: string, options?: PerformanceTrackerOptions) {
    this.options = resolvePerformanceTrackerOptions(serviceName, options);
    this.serviceName = this.options.serviceName;
    this.clock = this.options.clock;
    this.startedAt = this.clock.now();
  }

  /**
   * Runs `fn`, records its duration under `name` and returns what it returned. A promise (or
   * any thenable) is timed until it settles and comes back as a promise of the same value; any
   * other result comes back as is, synchronously. A throw or rejection counts as an error and
   * is rethrown unchanged.
   */
  measure<T>(name: string, fn: () => PromiseLike<T>): Promise<T>;
  measure<T>(name: string, fn: () => T): T;
  measure(name: string, fn: () => unknown): unknown {
    const start = this.clock.now();
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this.observe(name, start, this.clock.now(), true);
      throw error;
    }
    if (!isThenable(result)) {
      this.observe(name, start, this.clock.now(), false);
      return result;
    }
    // Promise.resolve adopts foreign thenables, so the caller always gets a real promise.
    return Promise.resolve(result).then(
      (value) => {
        this.observe(name, start, this.clock.now(), false);
        return value;
      },
      (error: unknown) => {
        this.observe(name, start, this.clock.now(), true);
        throw error;
      },
    );
  }

  /** Starts a manual timer for `name`; its `end()` records the call. */
  startTimer(name: string): Timer {
    const start = this.clock.now();
    return createTimer(this.clock, start, (end, failed) => this.observe(name, start, end, failed));
  }

  /**
   * Records a call timed elsewhere (a request hook, a log line) as if it ended now.
   * @throws PerfTrackerError INVALID_ARGUMENT when `durationMs` is negative or not finite.
   */
  record(name: string, durationMs: number, options?: { failed?: boolean }): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) {
      throw invalidArgument("durationMs", `must be a finite number >= 0, got ${durationMs}`);
    }
    const end = this.clock.now();
    this.observe(name, end - durationMs, end, options?.failed === true);
  }

  /**
   * Adds `by` to the counter `name` (created at 0).
   * @throws PerfTrackerError INVALID_ARGUMENT when `by` is negative or not finite: counters only go up.
   */
  increment(name: string, by = 1): void {
    if (!Number.isFinite(by) || by < 0)
      throw invalidArgument("by", `must be a finite number >= 0, got ${by}`);
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /**
   * Sets the gauge `name` to `value`.
   * @throws PerfTrackerError INVALID_ARGUMENT when `value` is not finite (snapshots stay JSON-safe).
   */
  setGauge(name: string, value: number): void {
    if (!Number.isFinite(value)) throw invalidArgument("value", `must be a finite number, got ${value}`);
    this.gauges.set(name, value);
  }

  /** Everything recorded so far, as plain JSON-safe data. */
  snapshot(): PerformanceSnapshot {
    const now = this.clock.now();
    const { bucketMs, windowMs } = this.options;
    const elapsedMs = now - this.startedAt;
    // Divide by the time the window really covers, but by at least one bucket so a young
    // tracker does not report a burst of calls as an enormous rate.
    const spanMs = Math.max(bucketMs, Math.min(elapsedMs, windowCoveredMs(now, bucketMs, windowMs)));
    const total: WindowTotals = { count: 0, errors: 0, sumMs: 0 };
    const operations: [string, OperationSnapshot][] = [];
    for (const name of [...this.operations.keys()].sort()) {
      const stats = this.operations.get(name)!;
      operations.push([name, stats.snapshot(now, spanMs)]);
      stats.addWindowTotals(now, total);
    }
    return {
      service: this.serviceName,
      elapsedMs,
      windowMs,
      // fromEntries defines own properties, so even a name like "__proto__" stays plain data.
      operations: Object.fromEntries(operations),
      window: toWindowSnapshot(total, spanMs),
      counters: Object.fromEntries([...this.counters].sort(byName)),
      gauges: Object.fromEntries([...this.gauges].sort(byName)),
    };
  }

  /** Forgets every operation, counter and gauge, and restarts the elapsed time and the window. */
  reset(): void {
    this.operations = new Map();
    this.counters = new Map();
    this.gauges = new Map();
    this.startedAt = this.clock.now();
  }

  private observe(name: string, start: number, end: number, failed: boolean): void {
    const stats = this.operations.get(name) ?? this.addOperation(name);
    stats.record(end, end - start, failed);
  }

  private addOperation(name: string): OperationStats {
    const named = this.operations.size - (this.operations.has(overflowOperationName) ? 1 : 0);
    const key = named < this.options.maxOperations ? name : overflowOperationName;
    let stats = this.operations.get(key);
    if (stats === undefined) {
      stats = new OperationStats(this.options);
      this.operations.set(key, stats);
    }
    return stats;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof Reflect.get(value, "then") === "function"
  );
}

function byName(a: [string, number], b: [string, number]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
