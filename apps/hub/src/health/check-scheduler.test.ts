import * as net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Clock, TimerHandle } from "../clock.js";
import { HubError } from "../errors/hub-error.js";
import { FakeClock } from "../testing/fake-clock.js";
import { type CheckScheduler, createCheckScheduler } from "./check-scheduler.js";
import type { CheckOutcome, CheckSchedulerOptions } from "./check-scheduler-options.js";
import type { CheckTarget } from "./check-target.js";
import type { Probe, ProbeStatus, ProbeTarget } from "./probe.js";
import { close, deferred, listen, trackConnections } from "./test-servers.js";

const t0 = Date.UTC(2026, 0, 1);

function target(key: string, overrides: Partial<CheckTarget> = {}): CheckTarget {
  return {
    key,
    protocol: "http",
    host: "10.0.0.1",
    port: 8080,
    path: "/health",
    grpcService: "",
    intervalMs: 1000,
    timeoutMs: 500,
    rise: 2,
    fall: 3,
    ...overrides,
  };
}

/**
 * A clock whose time can jump without firing timers, the way a blocked event loop makes real
 * timers fire late; `fireDue` then runs what is due. FakeClock always fires timers on time.
 */
class StallingClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, { dueAt: number; callback: () => void }>();
  private nextId = 1;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { dueAt: this.current + delayMs, callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete((handle as { id: number }).id);
  }

  jump(ms: number): void {
    this.current += ms;
  }

  async fireDue(): Promise<void> {
    for (const [id, timer] of [...this.timers]) {
      if (timer.dueAt > this.current) continue;
      this.timers.delete(id);
      timer.callback();
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

interface Call {
  readonly target: ProbeTarget;
  readonly signal: AbortSignal;
  readonly startedAt: number;
  /** Settles the probe (a no-op once settled). */
  answer(status: ProbeStatus, message?: string): void;
}

/**
 * A probe the test drives: each call waits until the test answers it, or answers at once with
 * `auto(target)` when given. It honours its signal unless `ignoreAbort` is set.
 */
function fakeProbe(
  clock: FakeClock,
  options: { auto?: (target: ProbeTarget) => ProbeStatus; ignoreAbort?: boolean } = {},
) {
  const calls: Call[] = [];
  let running = 0;
  let maxRunning = 0;
  const release = vi.fn<(target: ProbeTarget) => void>();
  const closeProbe = vi.fn(async () => {});
  const probe: Probe = Object.assign(
    (target: ProbeTarget, signal: AbortSignal) =>
      new Promise<{ status: ProbeStatus; message: string; latencyMs: number }>((resolve) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        let settled = false;
        const call: Call = {
          target,
          signal,
          startedAt: clock.now(),
          answer(status, message = status) {
            if (settled) return;
            settled = true;
            running--;
            resolve({ status, message, latencyMs: 7 });
          },
        };
        calls.push(call);
        if (!options.ignoreAbort) signal.addEventListener("abort", () => call.answer("critical", "aborted"));
        if (options.auto) call.answer(options.auto(target));
      }),
    { release, close: closeProbe },
  );
  return {
    probe,
    calls,
    release,
    closeProbe,
    get running() {
      return running;
    },
    get maxRunning() {
      return maxRunning;
    },
    callsFor: (key: string) => calls.filter((call) => call.target.key === key),
  };
}

describe("createCheckScheduler", () => {
  let scheduler: CheckScheduler | undefined;

  afterEach(async () => {
    await scheduler?.close();
    scheduler = undefined;
  });

  function setup(
    options: Partial<CheckSchedulerOptions> & {
      auto?: (target: ProbeTarget) => ProbeStatus;
      ignoreAbort?: boolean;
    } = {},
  ) {
    const clock = new FakeClock(t0);
    const fake = fakeProbe(clock, {
      ...(options.auto ? { auto: options.auto } : {}),
      ignoreAbort: options.ignoreAbort ?? false,
    });
    const results: { key: string; at: number; outcome: CheckOutcome }[] = [];
    scheduler = createCheckScheduler({
      clock,
      probe: fake.probe,
      maxConcurrent: options.maxConcurrent ?? 10,
      jitterRatio: options.jitterRatio ?? 0,
      onResult: (key, outcome) => results.push({ key, at: clock.now(), outcome }),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.onResult ? { onResult: options.onResult } : {}),
    });
    return { clock, fake, results, scheduler };
  }

  describe("validation", () => {
    it.each([
      [
        { timeoutMs: 1000, intervalMs: 1000 },
        "timeoutMs: must be below intervalMs (got timeoutMs 1000, intervalMs 1000)",
      ],
      [{ timeoutMs: 2000, intervalMs: 1000 }, "timeoutMs: must be below intervalMs"],
      [{ port: 0 }, "port:"],
      [{ port: 70_000 }, "port:"],
      [{ rise: 0 }, "rise:"],
      [{ intervalMs: 2 ** 31 }, "intervalMs:"],
      [{ key: "" }, "key:"],
    ])("refuses %j, naming the field", (overrides, message) => {
      const { scheduler } = setup();
      const attempt = () => scheduler.upsert(target("a", overrides));
      expect(attempt).toThrow(HubError);
      expect(attempt).toThrow(message);
      expect(scheduler.size).toBe(0);
    });

    it("names the field in the error details", () => {
      const { scheduler } = setup();
      try {
        scheduler.upsert(target("a", { timeoutMs: 5000, intervalMs: 5000 }));
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: "INVALID_ARGUMENT", details: { field: "timeoutMs" } });
      }
    });

    it.each([{ maxConcurrent: 0 }, { maxConcurrent: 1.5 }, { jitterRatio: -0.1 }, { jitterRatio: 2 }])(
      "refuses options %j",
      (options) => {
        expect(() =>
          createCheckScheduler({
            onResult: () => {},
            probe: async () => ({ status: "passing", message: "", latencyMs: 0 }),
            ...options,
          }),
        ).toThrow(HubError);
      },
    );
  });

  describe("intervals", () => {
    it("probes at once on upsert, then every intervalMs", async () => {
      const { clock, fake, results } = setup({ auto: () => "passing" });
      scheduler!.upsert(target("a"));
      await clock.advanceAsync(0);
      await clock.advanceAsync(3500);
      expect(fake.calls.map((call) => call.startedAt - t0)).toEqual([0, 1000, 2000, 3000]);
      expect(results.map((r) => r.at - t0)).toEqual([0, 1000, 2000, 3000]);
    });

    it("spreads targets registered together with a stable per-key jitter", async () => {
      const { clock, fake } = setup({ auto: () => "passing", jitterRatio: 0.1, maxConcurrent: 1000 });
      for (let i = 0; i < 500; i++)
        scheduler!.upsert(target(`svc-${i}`, { intervalMs: 10_000, timeoutMs: 1000 }));
      await clock.advanceAsync(11_000);
      const second = fake.calls.filter((call) => call.startedAt > t0).map((call) => call.startedAt - t0);
      expect(second).toHaveLength(500);
      expect(Math.min(...second)).toBeGreaterThanOrEqual(10_000);
      expect(Math.max(...second)).toBeLessThan(11_000);
      const perMs = new Map<number, number>();
      for (const at of second) perMs.set(at, (perMs.get(at) ?? 0) + 1);
      expect(Math.max(...perMs.values())).toBeLessThanOrEqual(5);
      // Periodic after the offset: the third probe of each key is exactly one interval after its second.
      await clock.advanceAsync(10_000);
      for (const key of ["svc-0", "svc-1", "svc-499"]) {
        const [, b, c] = fake.callsFor(key).map((call) => call.startedAt);
        expect(c! - b!).toBe(10_000);
      }
    });

    it("gives the same key the same offset every time", async () => {
      const first = setup({ auto: () => "passing", jitterRatio: 0.5 });
      first.scheduler.upsert(target("stable"));
      await first.clock.advanceAsync(1600);
      const again = setup({ auto: () => "passing", jitterRatio: 0.5 });
      again.scheduler.upsert(target("stable"));
      await again.clock.advanceAsync(1600);
      expect(again.fake.calls.map((c) => c.startedAt)).toEqual(first.fake.calls.map((c) => c.startedAt));
    });

    it("skips intervals missed while the process stalled instead of bursting", async () => {
      const clock = new StallingClock(t0);
      const starts: number[] = [];
      scheduler = createCheckScheduler({
        clock,
        jitterRatio: 0,
        probe: async () => {
          starts.push(clock.now() - t0);
          return { status: "passing", message: "ok", latencyMs: 0 };
        },
        onResult: () => {},
      });
      scheduler.upsert(target("a"));
      await clock.fireDue();
      // The event loop was blocked for 5.5 s: the 1000 ms timer fires late, once.
      clock.jump(5500);
      await clock.fireDue();
      clock.jump(500);
      await clock.fireDue();
      expect(starts).toEqual([0, 5500, 6000]);
    });
  });

  describe("concurrency", () => {
    it("runs at most maxConcurrent probes and starts queued ones in FIFO order as slots free", async () => {
      const { clock, fake } = setup({ maxConcurrent: 3 });
      for (let i = 0; i < 8; i++) scheduler!.upsert(target(`t${i}`));
      expect(fake.running).toBe(3);
      expect(fake.calls.map((c) => c.target.key)).toEqual(["t0", "t1", "t2"]);
      fake.calls[1]!.answer("passing");
      await clock.advanceAsync(0);
      expect(fake.calls.map((c) => c.target.key)).toEqual(["t0", "t1", "t2", "t3"]);
      for (const call of fake.calls) call.answer("passing");
      await clock.advanceAsync(0);
      for (const call of fake.calls) call.answer("passing");
      await clock.advanceAsync(0);
      expect(fake.calls.map((c) => c.target.key)).toEqual(["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
      expect(fake.maxRunning).toBe(3);
    });

    it("never has two probes of one target in flight, even when a probe ignores its timeout", async () => {
      const { clock, fake, results } = setup({ ignoreAbort: true });
      scheduler!.upsert(target("a"));
      await clock.advanceAsync(500);
      expect(results.map((r) => r.outcome.result.message)).toEqual(["timed out after 500 ms"]);
      expect(fake.calls[0]!.signal.aborted).toBe(true);
      await clock.advanceAsync(3000);
      expect(fake.calls).toHaveLength(1);
      // The slot was freed at the timeout, so other targets still run.
      scheduler!.upsert(target("b"));
      expect(fake.callsFor("b")).toHaveLength(1);
      // Once the stuck probe finally settles, the target is probed again on its next tick;
      // its late answer is dropped.
      fake.calls[0]!.answer("passing");
      await clock.advanceAsync(1000);
      expect(fake.callsFor("a").map((c) => c.startedAt - t0)).toEqual([0, 4000]);
      expect(results.filter((r) => r.key === "a").map((r) => r.outcome.result.message)).toEqual([
        "timed out after 500 ms",
        "timed out after 500 ms",
      ]);
    });

    it("skips a tick rather than queueing a target twice when the queue runs late", async () => {
      const { clock, fake } = setup({ maxConcurrent: 1 });
      scheduler!.upsert(target("slow", { intervalMs: 1000, timeoutMs: 900 }));
      scheduler!.upsert(target("waiting", { intervalMs: 1000, timeoutMs: 900 }));
      // "slow" holds the only slot until its timeout; "waiting" starts at 900, its next tick
      // at 1000 falls while it runs and is skipped.
      await clock.advanceAsync(1950);
      expect(fake.callsFor("waiting").map((c) => c.startedAt - t0)).toEqual([900]);
    });
  });

  describe("timeouts", () => {
    it("aborts a probe after timeoutMs and reports it critical", async () => {
      const { clock, fake, results } = setup();
      scheduler!.upsert(target("a"));
      await clock.advanceAsync(499);
      expect(results).toHaveLength(0);
      await clock.advanceAsync(1);
      expect(fake.calls[0]!.signal.reason).toMatchObject({ name: "TimeoutError" });
      expect(results[0]!.outcome.result).toEqual({
        status: "critical",
        message: "timed out after 500 ms",
        latencyMs: 500,
      });
      expect(results[0]!.outcome.state.status).toBe("unhealthy");
    });

    it("reports a probe that throws or rejects as critical", async () => {
      const clock = new FakeClock(t0);
      const results: CheckOutcome[] = [];
      let calls = 0;
      const probe: Probe = () => {
        calls++;
        if (calls === 1) throw new Error("boom");
        return Promise.reject(new Error("bang"));
      };
      scheduler = createCheckScheduler({
        clock,
        probe,
        jitterRatio: 0,
        onResult: (_key, o) => results.push(o),
      });
      scheduler.upsert(target("a"));
      await clock.advanceAsync(1000);
      expect(results.map((r) => r.result.message)).toEqual(["probe failed: boom", "probe failed: bang"]);
    });
  });

  describe("damping", () => {
    it("reports each rise/fall transition exactly once, with the state", async () => {
      const script: ProbeStatus[] = [
        "passing",
        "critical",
        "critical",
        "critical",
        "critical",
        "passing",
        "passing",
        "passing",
        "warning",
      ];
      let i = 0;
      const { clock, results } = setup({ auto: () => script[i++] ?? "passing" });
      scheduler!.upsert(target("a", { rise: 2, fall: 3 }));
      await clock.advanceAsync(script.length * 1000 - 1);
      expect(results.map((r) => [r.outcome.state.status, r.outcome.changed])).toEqual([
        ["healthy", true],
        ["healthy", false],
        ["healthy", false],
        ["unhealthy", true],
        ["unhealthy", false],
        ["unhealthy", false],
        ["healthy", true],
        ["healthy", false],
        ["degraded", true],
      ]);
      expect(results[4]!.outcome.state).toEqual({
        status: "unhealthy",
        consecutiveSuccesses: 0,
        consecutiveFailures: 4,
        message: "critical",
        latencyMs: 7,
        checkedAt: t0 + 4000,
      });
      expect(scheduler!.get("a")).toEqual(results.at(-1)!.outcome.state);
    });

    it("keeps going when onResult throws, handing the error to onError", async () => {
      const onError = vi.fn();
      const { clock, fake } = setup({
        auto: () => "passing",
        onError,
        onResult: () => {
          throw new Error("handler broke");
        },
      });
      scheduler!.upsert(target("a"));
      await clock.advanceAsync(1000);
      expect(fake.calls).toHaveLength(2);
      expect(onError).toHaveBeenCalledTimes(2);
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "handler broke" }), "a");
    });
  });

  describe("upsert and remove", () => {
    it("remove cancels the timer, aborts the probe in flight and drops its result", async () => {
      const { clock, fake, results } = setup();
      scheduler!.upsert(target("a"));
      const call = fake.calls[0]!;
      expect(scheduler!.remove("a")).toBe(true);
      expect(call.signal.aborted).toBe(true);
      await clock.advanceAsync(5000);
      expect(results).toHaveLength(0);
      expect(fake.calls).toHaveLength(1);
      expect(fake.release).toHaveBeenCalledWith(expect.objectContaining({ key: "a" }));
      expect(scheduler!.size).toBe(0);
      expect(scheduler!.remove("a")).toBe(false);
    });

    it("drops a result that arrives after remove even when the probe ignores the abort", async () => {
      const { clock, fake, results } = setup({ ignoreAbort: true });
      scheduler!.upsert(target("a"));
      scheduler!.remove("a");
      fake.calls[0]!.answer("passing");
      await clock.advanceAsync(0);
      expect(results).toHaveLength(0);
    });

    it("upserting the same settings changes nothing", async () => {
      const { clock, fake } = setup({ auto: () => "passing" });
      scheduler!.upsert(target("a"));
      await clock.advanceAsync(300);
      scheduler!.upsert(target("a"));
      await clock.advanceAsync(1000);
      expect(fake.calls.map((c) => c.startedAt - t0)).toEqual([0, 1000]);
    });

    it("new rise/fall apply from the next probe without rescheduling", async () => {
      let status: ProbeStatus = "passing";
      const { clock, fake, results } = setup({ auto: () => status });
      scheduler!.upsert(target("a", { fall: 3 }));
      await clock.advanceAsync(300);
      scheduler!.upsert(target("a", { fall: 1 }));
      status = "critical";
      await clock.advanceAsync(700);
      expect(fake.calls.map((c) => c.startedAt - t0)).toEqual([0, 1000]);
      expect(results.at(-1)!.outcome).toMatchObject({ changed: true, state: { status: "unhealthy" } });
    });

    it("new probe settings reschedule at once and keep the damping state", async () => {
      let status: ProbeStatus = "passing";
      const { clock, fake, results } = setup({ auto: () => status });
      scheduler!.upsert(target("a", { fall: 2 }));
      await clock.advanceAsync(1000);
      status = "critical";
      await clock.advanceAsync(1000);
      expect(results.at(-1)!.outcome.state).toMatchObject({ status: "healthy", consecutiveFailures: 1 });
      await clock.advanceAsync(400);
      scheduler!.upsert(target("a", { fall: 2, intervalMs: 5000, timeoutMs: 1000 }));
      await clock.advanceAsync(0);
      // The immediate probe is the second failure in a row: the kept state makes it fall now.
      expect(results.at(-1)!.outcome).toMatchObject({
        changed: true,
        state: { status: "unhealthy", consecutiveFailures: 2 },
      });
      await clock.advanceAsync(5000);
      expect(fake.calls.map((c) => c.startedAt - t0)).toEqual([0, 1000, 2000, 2400, 7400]);
      expect(fake.release).not.toHaveBeenCalled();
    });

    it("a new address drops the probe in flight, releases the old target and probes the new one", async () => {
      const { clock, fake, results } = setup();
      scheduler!.upsert(target("a"));
      const old = fake.calls[0]!;
      await clock.advanceAsync(100);
      scheduler!.upsert(target("a", { host: "10.0.0.2" }));
      expect(old.signal.aborted).toBe(true);
      expect(fake.release).toHaveBeenCalledWith(expect.objectContaining({ host: "10.0.0.1" }));
      await clock.advanceAsync(0);
      expect(fake.calls).toHaveLength(2);
      expect(fake.calls[1]!.target.host).toBe("10.0.0.2");
      fake.calls[1]!.answer("passing");
      await clock.advanceAsync(0);
      expect(results.map((r) => r.outcome.result.message)).toEqual(["passing"]);
    });
  });

  describe("close", () => {
    it("aborts probes in flight, stops timers and refuses further upserts", async () => {
      const { clock, fake, results } = setup();
      scheduler!.upsert(target("a"));
      await scheduler!.close();
      expect(fake.calls[0]!.signal.aborted).toBe(true);
      await clock.advanceAsync(5000);
      expect(results).toHaveLength(0);
      expect(clock.pendingTimers()).toBe(0);
      expect(() => scheduler!.upsert(target("b"))).toThrow("closed");
      // A probe passed in belongs to the caller: the scheduler does not close it.
      expect(fake.closeProbe).not.toHaveBeenCalled();
    });
  });

  describe("scale", () => {
    it("checks 10k targets per interval with one schedule timer and bounded concurrency", async () => {
      const { clock, fake, results } = setup({ auto: () => "passing", maxConcurrent: 64, jitterRatio: 0.1 });
      for (let i = 0; i < 10_000; i++)
        scheduler!.upsert(target(`svc-${i}`, { intervalMs: 10_000, timeoutMs: 2000 }));
      expect(fake.running).toBeLessThanOrEqual(64);
      await clock.advanceAsync(0);
      expect(results).toHaveLength(10_000);
      expect(clock.pendingTimers()).toBe(1);
      await clock.advanceAsync(11_000);
      expect(results).toHaveLength(20_000);
      expect(clock.pendingTimers()).toBe(1);
      expect(fake.maxRunning).toBeLessThanOrEqual(64);
    });
  });
});

describe("createCheckScheduler with the default probe", () => {
  it("probes a real TCP server and closes its probe on close", async () => {
    const server = net.createServer();
    const connections = trackConnections(server);
    const port = await listen(server);
    const first = deferred<CheckOutcome>();
    const scheduler = createCheckScheduler({
      clock: new FakeClock(t0),
      onResult: (_key, outcome) => first.resolve(outcome),
    });
    try {
      scheduler.upsert(target("tcp", { protocol: "tcp", host: "127.0.0.1", port }));
      const outcome = await first.promise;
      expect(outcome.result).toMatchObject({ status: "passing", message: `connected to 127.0.0.1:${port}` });
      expect(outcome.state.status).toBe("healthy");
    } finally {
      await scheduler.close();
      await close(server);
      await connections.allClosed();
    }
  });
});
