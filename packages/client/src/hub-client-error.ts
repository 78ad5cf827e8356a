import { ConnectError } from "@connectrpc/connect";
import { connectCodeOf, type HubClientErrorCode } from "./error-codes.js";

/**
 * A failure raised by `@hub/client` itself. It is a `ConnectError`, so code that already handles
 * Connect errors keeps working; `code` is the Connect code derived from {@link reason}, and
 * `reason` is the package's own closed code (see {@link HubClientErrorCode}).
 */
export class HubClientError extends ConnectError {
  /** Why the call failed, from a closed set; `code` is derived from it. */
  readonly reason: HubClientErrorCode;

  constructor(reason: HubClientErrorCode, message: string, cause?: unknown) {
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

/** True when `error` is a {@link HubClientError} with this reason. */
export function isHubClientError(error: unknown, reason?: HubClientErrorCode): error is HubClientError {
  return error instanceof HubClientError && (reason === undefined || error.reason === reason);
}
