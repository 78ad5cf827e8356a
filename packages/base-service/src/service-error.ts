/**
 * The failures a request handler can answer with. Each maps to exactly one HTTP status
 * ({@link httpStatusOf}); on the wire the code is sent lower-case (`invalid_argument`), as the hub does.
 *
 * - `INVALID_ARGUMENT` (400): the request is malformed: bad JSON, a bad field, a bad tenant header.
 * - `UNAUTHENTICATED` (401): no or a wrong credential.
 * - `PERMISSION_DENIED` (403): the caller may not do this (for example its subscription tier).
 * - `NOT_FOUND` (404): no such resource or route.
 * - `METHOD_NOT_ALLOWED` (405): the path exists, the method does not.
 * - `CONFLICT` (409): the resource's state does not allow the change.
 * - `PAYLOAD_TOO_LARGE` (413): the body is over the limit.
 * - `UNSUPPORTED_MEDIA_TYPE` (415): the body is not JSON where JSON is expected.
 * - `RESOURCE_EXHAUSTED` (429): a rate or quota limit was hit.
 * - `INTERNAL` (500): a bug; unknown errors become this, with a generic message.
 * - `UNAVAILABLE` (503): a dependency is down, or the service is shutting down.
 * - `DEADLINE_EXCEEDED` (504): a dependency did not answer in time.
 */
export type ServiceErrorCode =
  | "INVALID_ARGUMENT"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RESOURCE_EXHAUSTED"
  | "INTERNAL"
  | "UNAVAILABLE"
  | "DEADLINE_EXCEEDED";

/** The one HTTP status of each code. A full mapped type, so a code added above without a status fails to compile. */
export const httpStatusOf: { readonly [K in ServiceErrorCode]: number } = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** Every {@link ServiceErrorCode}, in the order of the table. */
export const serviceErrorCodes = Object.keys(httpStatusOf) as readonly ServiceErrorCode[];

/** Options of a {@link ServiceError}. */
export interface ServiceErrorOptions {
  /** The underlying error: logged, never sent. Default: none. */
  cause?: unknown;
  /** JSON-safe facts the caller may see, sent as `error.details` (e.g. `{ field: "quantity" }`). Default: none. */
  details?: Readonly<Record<string, unknown>>;
  /** Extra response headers, e.g. `Allow` for 405 or `Retry-After` for 429 and 503. Default: none. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * A failure a handler throws on purpose. Its message is meant for the caller and is sent as is,
 * so keep it lower-case, name the bad value and leave secrets out; `cause` stays in the logs.
 *
 * @example
 * throw new ServiceError("NOT_FOUND", `order ${id} does not exist`);
 */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
  readonly code: ServiceErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ServiceErrorCode, message: string, options: ServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** The HTTP status of {@link code}. */
  get status(): number {
    return httpStatusOf[this.code];
  }

  /** The code as sent on the wire: lower-case, like the hub's `invalid_argument`. */
  get wireCode(): string {
    return this.code.toLowerCase();
  }
}

/** True when `error` is a {@link ServiceError}, with this code when one is given. */
export function isServiceError(error: unknown, code?: ServiceErrorCode): error is ServiceError {
  return error instanceof ServiceError && (code === undefined || error.code === code);
}
