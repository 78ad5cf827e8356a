/**
 * Where the client reads time and sets timers: heartbeat schedules, backoff delays, the wait for
 * the first snapshot and staleness all go through it, so tests drive a fake clock and never sleep.
 */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin (like `Date.now()`). */
  now(): number;
  /** Runs `callback` once after `delayMs`; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer that has not fired yet; a handle that already fired is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/**
 * The real clock: `Date.now()` and the global timers. In Node its timers are unref'd, so a pending
 * heartbeat or reconnect never keeps a process alive that has nothing else to do.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer: unknown = globalThis.setTimeout(callback, Math.max(0, delayMs));
    // Browsers return a number; Node returns a Timeout with unref().
    if (
      typeof timer === "object" &&
      timer !== null &&
      "unref" in timer &&
      typeof timer.unref === "function"
    ) {
      timer.unref();
    }
    return { timer };
  },
  clearTimeout(handle) {
    globalThis.clearTimeout((handle as { timer: ReturnType<typeof globalThis.setTimeout> }).timer);
  },
};

/**
 * Resolves after `delayMs` on `clock`, or rejects with the signal's reason once it fires.
 * @internal
 */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
