import type { Clock, TimerHandle } from "../clock.js";

interface PendingTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/**
 * A manual clock for tests: time moves only when {@link FakeClock.advance} is called, and
 * timers due by then fire in due order (ties in creation order).
 * @internal
 */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.current + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete((handle as { id: number }).id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.earliestDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.dueAt;
      next.callback();
    }
    this.current = target;
  }

  /** Moves time forward, yielding to the microtask queue after each timer so async work settles. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.earliestDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.dueAt;
      next.callback();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.timers.size;
  }

  private earliestDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.dueAt > limit) continue;
      if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id))
        best = timer;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
