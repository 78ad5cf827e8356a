import type { TimerHandle } from "../clock.js";
import { HubError } from "../errors/hub-error.js";
import {
  type CheckSchedulerOptions,
  type CheckState,
  resolveCheckSchedulerOptions,
} from "./check-scheduler-options.js";
import { type CheckTarget, sameProbeSettings, validateCheckTarget } from "./check-target.js";
import { applyProbe, type DampingState, initialDampingState } from "./damping.js";
import { DueQueue } from "./due-queue.js";
import { jitterOffsetMs } from "./jitter.js";
import type { Probe, ProbeResult } from "./probe.js";
import { probeResult } from "./probe-result.js";
import { createProtocolProbe } from "./protocol-probe.js";

/** Runs the active health checks of many targets on their intervals. */
export interface CheckScheduler {
  /**
   * Adds a target (probed at once), or updates one with the same key. New probe settings
   * (address, path, service, interval, timeout) drop any probe in flight and probe again at once;
   * new rise/fall only apply from the next probe. The damping state is kept either way.
   * @throws HubError INVALID_ARGUMENT naming the bad field (e.g. timeoutMs not below intervalMs).
   */
  upsert(target: CheckTarget): void;
  /** Stops checking `key`; the result of a probe in flight is dropped. False when unknown. */
  remove(key: string): boolean;
  /** The state after the latest probe of `key`; undefined before its first probe completes. */
  get(key: string): CheckState | undefined;
  /** Number of scheduled targets. */
  readonly size: number;
  /** Stops every check, drops results in flight and closes the default probe. */
  close(): Promise<void>;
}

/** A probe in flight. It holds a concurrency slot until it settles, times out or is dropped. */
interface Run {
  readonly controller: AbortController;
  readonly generation: number;
  timer: TimerHandle | undefined;
  /** A result was delivered or dropped; a later settlement of the probe is ignored. */
  done: boolean;
}

interface Entry {
  target: CheckTarget;
  damping: DampingState;
  last: CheckState | undefined;
  /** waiting: for its next due time; queued: due, waiting for a slot; running: its probe has not settled. */
  phase: "waiting" | "queued" | "running";
  /** Bumped on every reschedule; older queue entries and runs no longer count. */
  generation: number;
  run: Run | undefined;
  /** Probe again as soon as the unsettled run settles (settings changed while it ran). */
  rerun: boolean;
  removed: boolean;
}

interface Tick {
  readonly entry: Entry;
  readonly generation: number;
  /** The schedule's anchor for this tick; the next one is a whole number of intervals later. */
  readonly dueAt: number;
}

const cancelled = () => new DOMException("health check target removed", "AbortError");

/**
 * Creates the scheduler of active health checks.
 *
 * Each target is probed at once on `upsert`, then every `intervalMs`, offset by a stable
 * per-key jitter so targets registered together spread out. At most `maxConcurrent` probes run
 * at once (the rest wait in FIFO order), a target never has two probes in flight, and each probe
 * is aborted after `timeoutMs` and reported as critical. After each probe the result is damped
 * (see damping.ts) and handed to `onResult`.
 *
 * Cost: one clock timer for the earliest due target plus one per running probe; a tick does
 * O(log n) work per due target, never a pass over all targets.
 *
 * @throws HubError INVALID_ARGUMENT when `maxConcurrent` or `jitterRatio` is out of range.
 * @example
 * const scheduler = createCheckScheduler({
 *   maxConcurrent: 100,
 *   onResult: (key, { state, changed }) => { if (changed) registry.setStatus(key, state.status); },
 * });
 * scheduler.upsert({ key: "orders/10.0.0.5-8080", protocol: "http", host: "10.0.0.5", port: 8080,
 *   path: "/health", grpcService: "", intervalMs: 10_000, timeoutMs: 2_000, rise: 2, fall: 3 });
 */
export function createCheckScheduler(options: CheckSchedulerOptions): CheckScheduler {
  const { clock, maxConcurrent, jitterRatio, onResult, onError, ...resolved } =
    resolveCheckSchedulerOptions(options);
  const ownsProbe = resolved.probe === undefined;
  const probe: Probe = resolved.probe ?? createProtocolProbe({ clock });
  const entries = new Map<string, Entry>();
  const schedule = new DueQueue<Tick>();
  // FIFO of due entries; `readyHead` advances instead of shifting, and the array is compacted
  // now and then, so dequeuing stays O(1).
  let ready: Entry[] = [];
  let readyHead = 0;
  let running = 0;
  let wakeTimer: TimerHandle | undefined;
  let wakeAt: number | undefined;
  let closed = false;

  /** Puts the target's second probe one interval (plus its jitter) after `anchor`, the first one. */
  function plan(entry: Entry, anchor: number): void {
    const { intervalMs, key } = entry.target;
    const dueAt = anchor + intervalMs + jitterOffsetMs(key, intervalMs, jitterRatio);
    schedule.push(dueAt, { entry, generation: entry.generation, dueAt });
  }

  function arm(): void {
    const next = schedule.peekDueAt();
    if (next === wakeAt) return;
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
    wakeTimer = undefined;
    wakeAt = next;
    if (next !== undefined) wakeTimer = clock.setTimeout(wake, next - clock.now());
  }

  function wake(): void {
    wakeTimer = undefined;
    wakeAt = undefined;
    const now = clock.now();
    for (let tick = schedule.popDue(now); tick; tick = schedule.popDue(now)) {
      const { entry } = tick;
      if (entry.removed || tick.generation !== entry.generation) continue;
      const intervalMs = entry.target.intervalMs;
      // Skip whole intervals missed (a stalled process), keeping the target's phase.
      const missed = Math.max(0, Math.floor((now - tick.dueAt) / intervalMs));
      const nextDueAt = tick.dueAt + (missed + 1) * intervalMs;
      schedule.push(nextDueAt, { entry, generation: entry.generation, dueAt: nextDueAt });
      // A target still queued or running at its next due time skips that tick instead of piling up.
      if (entry.phase === "waiting") enqueue(entry);
    }
    arm();
    pump();
  }

  function enqueue(entry: Entry): void {
    entry.phase = "queued";
    ready.push(entry);
  }

  function pump(): void {
    while (running < maxConcurrent && readyHead < ready.length) {
      const entry = ready[readyHead++]!;
      if (!entry.removed && entry.phase === "queued") start(entry);
    }
    if (readyHead === ready.length) {
      ready = [];
      readyHead = 0;
    } else if (readyHead > 1024 && readyHead * 2 > ready.length) {
      ready = ready.slice(readyHead);
      readyHead = 0;
    }
  }

  function start(entry: Entry): void {
    const target = entry.target;
    const run: Run = {
      controller: new AbortController(),
      generation: entry.generation,
      timer: undefined,
      done: false,
    };
    entry.phase = "running";
    entry.run = run;
    running++;
    const startedAt = clock.now();
    run.timer = clock.setTimeout(() => {
      run.timer = undefined;
      run.controller.abort(new DOMException(`timed out after ${target.timeoutMs} ms`, "TimeoutError"));
      deliver(
        entry,
        run,
        probeResult("critical", `timed out after ${target.timeoutMs} ms`, clock.now() - startedAt),
      );
    }, target.timeoutMs);
    let pending: Promise<ProbeResult>;
    try {
      pending = probe(target, run.controller.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending
      .then(
        (result) => deliver(entry, run, result),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          deliver(entry, run, probeResult("critical", `probe failed: ${reason}`, clock.now() - startedAt));
        },
      )
      .finally(() => settle(entry, run));
  }

  /** Ends a run's claim on a slot. The first of result, timeout or drop wins; the rest are no-ops. */
  function finishRun(run: Run): boolean {
    if (run.done) return false;
    run.done = true;
    if (run.timer !== undefined) clock.clearTimeout(run.timer);
    run.timer = undefined;
    running--;
    return true;
  }

  function deliver(entry: Entry, run: Run, result: ProbeResult): void {
    if (!finishRun(run)) return;
    if (!closed && !entry.removed && run.generation === entry.generation) report(entry, result);
    pump();
  }

  function report(entry: Entry, result: ProbeResult): void {
    const step = applyProbe(entry.damping, result.status, entry.target);
    entry.damping = step.state;
    const state: CheckState = {
      ...step.state,
      message: result.message,
      latencyMs: result.latencyMs,
      checkedAt: clock.now(),
    };
    entry.last = state;
    try {
      onResult(entry.target.key, { result, state, changed: step.changed });
    } catch (error) {
      onError(error, entry.target.key);
    }
  }

  /** The probe's promise settled: only now may the target be probed again. */
  function settle(entry: Entry, run: Run): void {
    if (entry.run !== run) return;
    entry.run = undefined;
    entry.phase = "waiting";
    if (entry.rerun && !entry.removed && !closed) {
      entry.rerun = false;
      enqueue(entry);
      pump();
    }
  }

  /** Aborts the run in flight, if any, and frees its slot; its result will be dropped. */
  function drop(entry: Entry): void {
    const run = entry.run;
    if (!run || run.done) return;
    run.controller.abort(cancelled());
    finishRun(run);
  }

  return {
    upsert(input) {
      if (closed) throw new HubError("UNAVAILABLE", "health check scheduler is closed");
      const target = validateCheckTarget(input);
      const now = clock.now();
      const existing = entries.get(target.key);
      if (!existing) {
        const entry: Entry = {
          target,
          damping: initialDampingState,
          last: undefined,
          phase: "waiting",
          generation: 0,
          run: undefined,
          rerun: false,
          removed: false,
        };
        entries.set(target.key, entry);
        plan(entry, now);
        enqueue(entry);
      } else {
        const previous = existing.target;
        existing.target = target;
        if (sameProbeSettings(previous, target)) return;
        existing.generation++;
        drop(existing);
        if (
          previous.protocol !== target.protocol ||
          previous.host !== target.host ||
          previous.port !== target.port
        ) {
          probe.release?.(previous);
        }
        plan(existing, now);
        if (existing.phase === "waiting") enqueue(existing);
        else if (existing.phase === "running") existing.rerun = true;
      }
      arm();
      pump();
    },

    remove(key) {
      const entry = entries.get(key);
      if (!entry) return false;
      entries.delete(key);
      entry.removed = true;
      drop(entry);
      probe.release?.(entry.target);
      pump();
      // The entry's schedule slot stays in the heap and is skipped when it falls due; removing it
      // now would cost O(n).
      return true;
    },

    get(key) {
      return entries.get(key)?.last;
    },

    get size() {
      return entries.size;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const entry of entries.values()) {
        entry.removed = true;
        drop(entry);
      }
      entries.clear();
      schedule.clear();
      ready = [];
      readyHead = 0;
      if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
      wakeTimer = undefined;
      wakeAt = undefined;
      if (ownsProbe) await probe.close?.();
    },
  };
}
