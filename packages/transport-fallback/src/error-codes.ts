import { Code } from "@connectrpc/connect";

/**
 * Every failure `@hub/transport-fallback` raises itself. Errors from a transport or a server that
 * end a call without fallback (application errors, cancellation) are passed on unchanged instead.
 *
 * - `INVALID_OPTIONS`: the options given to the factory are invalid.
 * - `ALL_TRANSPORTS_FAILED`: every transport that could be tried failed at the transport level.
 * - `DEADLINE_EXCEEDED`: the call's one deadline ran out before a transport answered.
 * - `ALL_CIRCUITS_OPEN`: no transport was tried because every circuit breaker is open.
 * - `RETRY_UNSAFE`: a transport failed after the request may have reached the server, and the call is
 *   not idempotent, so no other transport was tried; the server may or may not have applied it.
 */
export type TransportFallbackErrorCode =
  | "INVALID_OPTIONS"
  | "ALL_TRANSPORTS_FAILED"
  | "DEADLINE_EXCEEDED"
  | "ALL_CIRCUITS_OPEN"
  | "RETRY_UNSAFE";

/**
 * The one Connect code for each error code. Typed as a full mapped type, so a new code that is not
 * mapped here fails to compile.
 */
export const connectCodeOf: { readonly [K in TransportFallbackErrorCode]: Code } = {
  INVALID_OPTIONS: Code.InvalidArgument,
  ALL_TRANSPORTS_FAILED: Code.Unavailable,
  DEADLINE_EXCEEDED: Code.DeadlineExceeded,
  ALL_CIRCUITS_OPEN: Code.Unavailable,
  // Not Unavailable: that code invites a blind retry, and the request may already have been applied.
  RETRY_UNSAFE: Code.Unknown,
};
