import type { ConnectError } from "@connectrpc/connect";
import type { ErrorClassification } from "./classify-error.js";
import type { TransportFallbackErrorCode } from "./error-codes.js";
import { TransportFallbackError } from "./transport-fallback-error.js";

/** One failed attempt of a call. */
export interface FailedAttempt {
  /** The transport's name, e.g. `"http_protobuf"`. */
  readonly transport: string;
  /** What the transport threw, as a ConnectError (its original error, when it was one). */
  readonly cause: ConnectError;
  /** What {@link cause} meant for fallback. */
  readonly classification: ErrorClassification;
  /** How long the attempt took, in ms of the manager's clock. */
  readonly durationMs: number;
}

/** The reasons a call ends with {@link AllTransportsFailedError}. */
export type AllTransportsFailedReason = Exclude<TransportFallbackErrorCode, "INVALID_OPTIONS">;

/**
 * A call failed at the transport level and no further transport could help: every transport
 * failed (`ALL_TRANSPORTS_FAILED`), the shared deadline ran out (`DEADLINE_EXCEEDED`), every breaker
 * was open (`ALL_CIRCUITS_OPEN`), or the call was not safe to send again (`RETRY_UNSAFE`).
 * `attempts` lists every attempt in order and `skipped` the transports whose breaker was open;
 * `cause` is the last attempt's error.
 */
export class AllTransportsFailedError extends TransportFallbackError {
  declare readonly reason: AllTransportsFailedReason;
  /** Every attempt, in the order they were made. */
  readonly attempts: readonly FailedAttempt[];
  /** Transports not tried because their circuit breaker was open. */
  readonly skipped: readonly string[];

  constructor(
    reason: AllTransportsFailedReason,
    method: string,
    attempts: readonly FailedAttempt[],
    skipped: readonly string[],
  ) {
    super(reason, describe(reason, method, attempts, skipped), attempts.at(-1)?.cause);
    this.attempts = attempts;
    this.skipped = skipped;
  }
}

const summaries: { readonly [K in AllTransportsFailedReason]: string } = {
  ALL_TRANSPORTS_FAILED: "all transports failed",
  DEADLINE_EXCEEDED: "deadline exceeded",
  ALL_CIRCUITS_OPEN: "every circuit breaker is open",
  RETRY_UNSAFE:
    "transport failed after the request may have been sent; not retried as the call is not idempotent",
};

function describe(
  reason: AllTransportsFailedReason,
  method: string,
  attempts: readonly FailedAttempt[],
  skipped: readonly string[],
): string {
  const tried = attempts.map((attempt) => `${attempt.transport}: ${attempt.cause.message}`);
  const parts = [`${summaries[reason]} for ${method}`];
  if (tried.length > 0) parts.push(`attempts: ${tried.join("; ")}`);
  if (skipped.length > 0) parts.push(`skipped (breaker open): ${skipped.join(", ")}`);
  return parts.join("; ");
}
