/**
 * Every failure the tracker reports. The codes use the hub's names, so the hub maps them to its
 * Connect code and HTTP status without a table of its own.
 */
export type PerfTrackerErrorCode = "INVALID_ARGUMENT";

/** A typed failure of `@hub/perf-tracker`: bad options or a bad value passed to a method. */
export class PerfTrackerError extends Error {
  override readonly name = "PerfTrackerError";
  readonly code: PerfTrackerErrorCode;
  /** The offending field or argument, safe to log or return to a caller. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: PerfTrackerErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** Shorthand for a bad argument. @internal */
export function invalidArgument(field: string, reason: string): PerfTrackerError {
  return new PerfTrackerError("INVALID_ARGUMENT", `${field}: ${reason}`, { details: { field, reason } });
}
