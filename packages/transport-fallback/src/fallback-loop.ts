import { ConnectError, type Transport } from "@connectrpc/connect";
import {
  AllTransportsFailedError,
  type AllTransportsFailedReason,
  type FailedAttempt,
} from "./all-transports-failed-error.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { classifyError, type TransportFailureReason } from "./classify-error.js";
import type { Clock } from "./clock.js";
import { createDeadline } from "./deadline.js";
import { emitEvent, type TransportFallbackEvent } from "./events.js";
import { mayFallBack } from "./retry-safety.js";

/** A named transport and its breaker. @internal */
export interface TransportEntry {
  readonly name: string;
  readonly transport: Transport;
  readonly breaker: CircuitBreaker;
}

/** The manager-wide inputs of one call. @internal */
export interface FallbackPlan {
  /** Transports to try, in order (sticky preference already applied). */
  readonly candidates: readonly TransportEntry[];
  readonly clock: Clock;
  readonly attemptTimeoutMs: number | null;
  readonly onEvent: ((event: TransportFallbackEvent) => void) | null;
  /** Called with a transport that carried a call end to end (the sticky preference). */
  readonly onWorked: (entry: TransportEntry) => void;
}

/** One call, seen from the loop. @internal */
export interface FallbackCall<T> {
  /** `"package.Service/Method"`, or an `execute` label. */
  readonly method: string;
  readonly idempotent: boolean;
  readonly signal: AbortSignal | undefined;
  /** The whole call's deadline, shared by every attempt; `undefined`: none. */
  readonly timeoutMs: number | undefined;
  /** False once another attempt could no longer send the complete request (a consumed stream). */
  readonly canReplay: () => boolean;
  readonly attempt: (entry: TransportEntry, timeoutMs: number | undefined) => Promise<T>;
}

/**
 * Runs a call on the candidates in order until one answers. Moves on only after a transport
 * failure the call may be retried after (see `mayFallBack`); an application error, an unrecognized
 * error or the caller's cancellation is rethrown unchanged. Otherwise ends with
 * {@link AllTransportsFailedError}.
 * @internal
 */
export async function runWithFallback<T>(plan: FallbackPlan, call: FallbackCall<T>): Promise<T> {
  const { clock, onEvent } = plan;
  const method = call.method;
  const deadline = createDeadline(clock, call.timeoutMs);
  const attempts: FailedAttempt[] = [];
  const skipped: string[] = [];
  const fail = (reason: AllTransportsFailedReason): AllTransportsFailedError =>
    new AllTransportsFailedError(reason, method, attempts, skipped);
  let previous: { readonly name: string; readonly reason: TransportFailureReason } | undefined;

  for (const entry of plan.candidates) {
    const permit = entry.breaker.tryAcquire();
    if (permit === undefined) {
      skipped.push(entry.name);
      continue;
    }
    const slice = deadline.slice(plan.attemptTimeoutMs);
    if (deadline.expired()) {
      permit.release();
      throw fail("DEADLINE_EXCEEDED");
    }
    if (previous !== undefined) {
      emitEvent(onEvent, {
        type: "fallback",
        method,
        from: previous.name,
        to: entry.name,
        reason: previous.reason,
      });
    }
    const attempt = attempts.length + 1;
    emitEvent(onEvent, {
      type: "attempt",
      method,
      transport: entry.name,
      attempt,
      timeoutMs: slice.timeoutMs,
    });
    const startedAt = clock.now();
    try {
      const result = await call.attempt(entry, slice.timeoutMs);
      permit.success();
      plan.onWorked(entry);
      emitEvent(onEvent, {
        type: "success",
        method,
        transport: entry.name,
        attempt,
        durationMs: clock.now() - startedAt,
      });
      return result;
    } catch (error) {
      const durationMs = clock.now() - startedAt;
      const cause = ConnectError.from(error);
      // The caller gave up: nothing is learned about the transport, and nothing more may be sent.
      const classification = call.signal?.aborted
        ? ({ kind: "unrecognized" } as const)
        : classifyError(error);
      if (classification.kind !== "transport") {
        if (classification.kind === "application") {
          // The server answered in this protocol, so the transport itself works.
          permit.success();
          plan.onWorked(entry);
        } else {
          permit.release();
        }
        emitEvent(onEvent, {
          type: "failure",
          method,
          transport: entry.name,
          attempt,
          durationMs,
          error: cause,
          classification,
          fallback: false,
        });
        throw error;
      }
      permit.failure();
      attempts.push({ transport: entry.name, cause, classification, durationMs });
      const outOfTime = (classification.reason === "timeout" && slice.isRemainder) || deadline.expired();
      const retrySafe = mayFallBack(classification, call.idempotent);
      // A stream whose input was already read cannot be sent again in full, whatever the failure.
      const replayable = call.canReplay();
      const fallback = !outOfTime && retrySafe && replayable;
      emitEvent(onEvent, {
        type: "failure",
        method,
        transport: entry.name,
        attempt,
        durationMs,
        error: cause,
        classification,
        fallback,
      });
      if (outOfTime) throw fail("DEADLINE_EXCEEDED");
      if (!retrySafe) throw fail("RETRY_UNSAFE");
      if (!replayable) throw fail("ALL_TRANSPORTS_FAILED");
      previous = { name: entry.name, reason: classification.reason };
    }
  }
  throw fail(attempts.length === 0 ? "ALL_CIRCUITS_OPEN" : "ALL_TRANSPORTS_FAILED");
}
