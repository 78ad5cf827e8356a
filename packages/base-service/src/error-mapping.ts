import { isHubClientError } from "@hub/client";
import { ServiceError } from "./service-error.js";

/**
 * Translates an error a handler threw into a {@link ServiceError}, or returns undefined to leave it
 * to the next mapper. Use it to give domain errors their HTTP meaning in one place.
 *
 * @example
 * const mapError: ErrorMapper = (error) =>
 *   error instanceof InsufficientMarginError ? new ServiceError("CONFLICT", error.message, { cause: error }) : undefined;
 */
export type ErrorMapper = (error: unknown) => ServiceError | undefined;

/** The message every error without a meaning of its own is answered with: nothing about the cause leaks. */
export const internalErrorMessage = "internal error";

/**
 * Errors every service meets, mapped without configuration: a hub that cannot say where a
 * dependency is (`@hub/client`'s `NOT_FOUND`, `UNAVAILABLE`) is a 503, and an `AbortSignal.timeout`
 * that fired (a `fetch` to a dependency) is a 504. Their messages name internals, so the answer gets
 * a generic one and the original stays the cause.
 */
export const builtinErrorMapper: ErrorMapper = (error) => {
  if (isHubClientError(error, "NOT_FOUND") || isHubClientError(error, "UNAVAILABLE")) {
    return new ServiceError("UNAVAILABLE", "a dependency is unavailable", { cause: error });
  }
  if (errorName(error) === "TimeoutError") {
    return new ServiceError("DEADLINE_EXCEEDED", "a dependency did not answer in time", { cause: error });
  }
  return undefined;
};

/**
 * Gives any thrown value its HTTP meaning: a {@link ServiceError} stays as it is, then each mapper
 * is tried in order (a mapper that throws is skipped), then {@link builtinErrorMapper}; anything
 * left becomes `INTERNAL` with the generic {@link internalErrorMessage}, keeping the original as `cause`.
 */
export function toServiceError(error: unknown, mappers: readonly ErrorMapper[] = []): ServiceError {
  if (error instanceof ServiceError) return error;
  for (const mapper of [...mappers, builtinErrorMapper]) {
    let mapped: ServiceError | undefined;
    try {
      mapped = mapper(error);
    } catch {
      // A broken mapper must not turn a request's failure into a crash; the error falls through to INTERNAL.
      mapped = undefined;
    }
    if (mapped !== undefined) return mapped;
  }
  return new ServiceError("INTERNAL", internalErrorMessage, { cause: error });
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name: unknown = Reflect.get(error, "name");
  return typeof name === "string" ? name : undefined;
}
