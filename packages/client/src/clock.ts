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
 * The real clock: `Date.now()` and the global timers. Timers keep the process alive, like an
 * open socket: a registration that is retrying or heartbeating, or a watch waiting to
 * reconnect, is work in progress until `close()`; a script whose only job is to register must
 * not exit silently halfway through.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    return { timer: globalThis.setTimeout(callback, Math.max(0, delayMs)) };
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
