import type { ServiceError } from "./service-error.js";

/** The `error` member of a failed {@link Envelope}. */
export interface EnvelopeError {
  /** Lower-case code, e.g. `invalid_argument` (see `ServiceErrorCode`). */
  readonly code: string;
  readonly message: string;
  /** JSON-safe facts about the failure; absent when there are none. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A successful answer: `data` is the handler's result. */
export interface SuccessEnvelope<T> {
  readonly success: true;
  readonly data: T;
  readonly error: null;
  readonly correlation_id: string;
  /** ISO 8601. */
  readonly timestamp: string;
}

/** A failed answer. */
export interface ErrorEnvelope {
  readonly success: false;
  readonly data: null;
  readonly error: EnvelopeError;
  readonly correlation_id: string;
  /** ISO 8601. */
  readonly timestamp: string;
}

/** The standard response body: `{ success, data, error: { code, message }, correlation_id, timestamp }`. */
export type Envelope<T> = SuccessEnvelope<T> | ErrorEnvelope;

/** Where an envelope is made: the request's correlation id and the time. */
export interface EnvelopeContext {
  readonly correlationId: string;
  /** Milliseconds since the epoch. Default: `Date.now()`. */
  readonly now?: number;
}

/**
 * Wraps a result in the standard success envelope.
 * @example
 * successEnvelope({ id: "o-1" }, { correlationId: "req_456" });
 * // { success: true, data: { id: "o-1" }, error: null, correlation_id: "req_456", timestamp: "2026-..." }
 */
export function successEnvelope<T>(data: T, context: EnvelopeContext): SuccessEnvelope<T> {
  return {
    success: true,
    data,
    error: null,
    correlation_id: context.correlationId,
    timestamp: new Date(context.now ?? Date.now()).toISOString(),
  };
}

/** Wraps a {@link ServiceError} in the standard error envelope; its `cause` is never included. */
export function errorEnvelope(error: ServiceError, context: EnvelopeContext): ErrorEnvelope {
  return {
    success: false,
    data: null,
    error:
      error.details === undefined
        ? { code: error.wireCode, message: error.message }
        : { code: error.wireCode, message: error.message, details: error.details },
    correlation_id: context.correlationId,
    timestamp: new Date(context.now ?? Date.now()).toISOString(),
  };
}
