import { ConnectError } from "@connectrpc/connect";
import { connectCodeOf, type TransportFallbackErrorCode } from "./error-codes.js";

/**
 * A failure raised by `@hub/transport-fallback` itself. It is a `ConnectError`, so code that already
 * handles Connect errors keeps working; `code` is the Connect code derived from {@link reason}, and
 * `reason` is the package's own closed code (see {@link TransportFallbackErrorCode}).
 */
export class TransportFallbackError extends ConnectError {
  /** Why the call failed, from a closed set; `code` is derived from it. */
  readonly reason: TransportFallbackErrorCode;

  constructor(reason: TransportFallbackErrorCode, message: string, cause?: unknown) {
    super(message, connectCodeOf[reason], undefined, undefined, cause);
    this.reason = reason;
    // ConnectError keeps name "ConnectError" on purpose: its duck-typed `instanceof` requires it.
  }

  // ConnectError's static hasInstance duck-types every error named "ConnectError" as an instance;
  // subclasses inherit it, so without this override any ConnectError would pass `instanceof` here.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, a subclass too.
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * Builds the error thrown when the options given to `createTransportFallbackManager` are invalid;
 * the message lists each bad field by its path. `reason` is `"INVALID_OPTIONS"`, `code` is
 * `Code.InvalidArgument`.
 * @internal
 */
export function invalidOptions(message: string): TransportFallbackError {
  return new TransportFallbackError("INVALID_OPTIONS", message);
}
