import type { Clock } from "../clock.js";

/** A signal that aborts after a delay on the given clock, or earlier when `parent` aborts. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Disarms the timer; call it once the guarded work has settled. */
  clear(): void;
}

/**
 * Starts a deadline of `timeoutMs` on `clock`. The abort reason is a `TimeoutError`
 * DOMException (the same as `AbortSignal.timeout`), so {@link isTimeout} recognises both.
 * Unlike `AbortSignal.timeout`, it follows the hub's clock, so tests drive it with a fake one.
 */
export function startDeadline(clock: Clock, timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  const timer = clock.setTimeout(() => {
    parent?.removeEventListener("abort", onParentAbort);
    controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clock.clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Whether an abort reason means "the deadline passed" rather than "cancelled". */
export function isTimeout(reason: unknown): boolean {
  return reason instanceof DOMException && reason.name === "TimeoutError";
}

/**
 * Runs `work` with a signal that aborts when `signal` does or `timeoutMs` passes on `clock`,
 * whichever is first, and disarms the timer afterwards. Probes use it so that none outlives its
 * target's timeout even when the caller's signal never aborts.
 */
export async function withDeadline<T>(
  clock: Clock,
  timeoutMs: number,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(clock, timeoutMs, signal);
  try {
    return await work(deadline.signal);
  } finally {
    deadline.clear();
  }
}
