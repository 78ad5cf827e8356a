import { Code, ConnectError } from "@connectrpc/connect";

/** Every failure the hub reports to a caller. */
export type HubErrorCode =
  | "INVALID_ARGUMENT"
  | "SERVICE_NOT_FOUND"
  | "INSTANCE_NOT_FOUND"
  | "CONFIG_NOT_FOUND"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "RESOURCE_EXHAUSTED"
  | "CONFLICT"
  | "VERSION_CONFLICT"
  | "UNAVAILABLE"
  | "INTERNAL";

/** A typed hub failure; its code maps to exactly one Connect code and one HTTP status. */
export class HubError extends Error {
  override readonly name = "HubError";
  readonly code: HubErrorCode;
  /** Extra facts for the caller (the offending field, a limit), safe to put on the wire. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: HubErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** The whole mapping, one row per code: adding a code without a row fails to compile. */
export const hubErrorMapping: { readonly [C in HubErrorCode]: { connect: Code; http: number } } = {
  INVALID_ARGUMENT: { connect: Code.InvalidArgument, http: 400 },
  SERVICE_NOT_FOUND: { connect: Code.NotFound, http: 404 },
  INSTANCE_NOT_FOUND: { connect: Code.NotFound, http: 404 },
  CONFIG_NOT_FOUND: { connect: Code.NotFound, http: 404 },
  PAYLOAD_TOO_LARGE: { connect: Code.ResourceExhausted, http: 413 },
  UNSUPPORTED_MEDIA_TYPE: { connect: Code.InvalidArgument, http: 415 },
  PERMISSION_DENIED: { connect: Code.PermissionDenied, http: 403 },
  UNAUTHENTICATED: { connect: Code.Unauthenticated, http: 401 },
  RESOURCE_EXHAUSTED: { connect: Code.ResourceExhausted, http: 429 },
  CONFLICT: { connect: Code.AlreadyExists, http: 409 },
  // A compare-and-swap lost: read again and retry (gRPC's advice for ABORTED).
  VERSION_CONFLICT: { connect: Code.Aborted, http: 409 },
  UNAVAILABLE: { connect: Code.Unavailable, http: 503 },
  INTERNAL: { connect: Code.Internal, http: 500 },
};

/** Shorthand for the most common error: a bad field. */
export function invalidArgument(field: string, reason: string): HubError {
  return new HubError("INVALID_ARGUMENT", `${field}: ${reason}`, { details: { field, reason } });
}

/**
 * Converts anything thrown inside a handler into a ConnectError. Unknown errors become
 * Internal without their message, so internals never reach the wire; the cause is kept for logs.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof HubError) {
    return new ConnectError(error.message, hubErrorMapping[error.code].connect, undefined, undefined, error);
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}
