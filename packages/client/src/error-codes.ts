import { Code } from "@connectrpc/connect";

/**
 * Every failure `@hub/client` raises itself. Errors the hub sends in its protocol for a request it
 * rejected (`invalid_argument`, `permission_denied`, ...) are passed on unchanged instead.
 *
 * - `INVALID_OPTIONS`: options given to a factory or a call are invalid; the message names each field.
 * - `NOT_FOUND`: the service is not in the (loaded) cache, or the hub says it does not know it.
 * - `UNAVAILABLE`: no hub could be reached and there is no cached state to answer from.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `CLOSED`: the client (or the registration) was closed before or during the call.
 */
export type HubClientErrorCode = "INVALID_OPTIONS" | "NOT_FOUND" | "UNAVAILABLE" | "ABORTED" | "CLOSED";

/**
 * The one Connect code for each error code. Typed as a full mapped type, so a new code that is not
 * mapped here fails to compile.
 */
export const connectCodeOf: { readonly [K in HubClientErrorCode]: Code } = {
  INVALID_OPTIONS: Code.InvalidArgument,
  NOT_FOUND: Code.NotFound,
  UNAVAILABLE: Code.Unavailable,
  ABORTED: Code.Canceled,
  CLOSED: Code.FailedPrecondition,
};
