/**
 * Every failure `@hub/base-service` raises about itself (as opposed to a request's failure, which is
 * a {@link ServiceError}).
 *
 * - `INVALID_CONFIG`: the service config or the options are invalid; the message names each field.
 * - `INVALID_ROUTE`: a route's method or path pattern is malformed, or the route is already defined.
 * - `CONFIG_REJECTED`: a config source delivered a document that could not be read, parsed or validated.
 * - `LISTEN_FAILED`: the HTTP server could not listen (port in use, bad host).
 * - `REGISTRATION_FAILED`: the hub did not accept the instance within `registerTimeoutMs`.
 * - `INVALID_STATE`: a call that the service's lifecycle does not allow (`start()` twice, after `stop()`).
 */
export type BaseServiceErrorCode =
  | "INVALID_CONFIG"
  | "INVALID_ROUTE"
  | "CONFIG_REJECTED"
  | "LISTEN_FAILED"
  | "REGISTRATION_FAILED"
  | "INVALID_STATE";

/** A typed failure of `@hub/base-service` itself; `code` is from a closed set. */
export class BaseServiceError extends Error {
  override readonly name = "BaseServiceError";
  readonly code: BaseServiceErrorCode;

  constructor(code: BaseServiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `error` is a {@link BaseServiceError}, with this code when one is given. */
export function isBaseServiceError(error: unknown, code?: BaseServiceErrorCode): error is BaseServiceError {
  return error instanceof BaseServiceError && (code === undefined || error.code === code);
}
