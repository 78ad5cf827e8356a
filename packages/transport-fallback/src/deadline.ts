import type { Clock } from "./clock.js";

/** One attempt's share of a call's deadline. */
export interface DeadlineSlice {
  /** The attempt's timeout in whole ms, or `undefined` when neither a deadline nor a cap applies. */
  readonly timeoutMs: number | undefined;
  /** True when the timeout is all the time the call has left, so its expiry is the call's deadline. */
  readonly isRemainder: boolean;
}

/** The one deadline of a call, shared by all of its attempts. @internal */
export interface Deadline {
  /** True once no whole millisecond is left. Never true for a call without a deadline. */
  expired(): boolean;
  /** The next attempt's timeout: the time left, capped at `capMs` when given. */
  slice(capMs: number | null): DeadlineSlice;
}

/**
 * Starts a deadline of `timeoutMs` from now (none when `undefined`). Time left is rounded down to
 * whole ms because Connect and gRPC send timeouts as integers, and rounding up would overrun.
 * @internal
 */
export function createDeadline(clock: Clock, timeoutMs: number | undefined): Deadline {
  const endsAt = timeoutMs === undefined ? undefined : clock.now() + timeoutMs;
  const remaining = (): number | undefined =>
    endsAt === undefined ? undefined : Math.max(0, Math.floor(endsAt - clock.now()));
  return {
    expired: () => remaining() === 0,
    slice(capMs) {
      const left = remaining();
      if (left === undefined) {
        return capMs === null
          ? { timeoutMs: undefined, isRemainder: false }
          : { timeoutMs: capMs, isRemainder: false };
      }
      if (capMs !== null && capMs < left) return { timeoutMs: capMs, isRemainder: false };
      return { timeoutMs: left, isRemainder: true };
    },
  };
}
