/** Why a call to the hub failed: `unavailable` when it could not be reached at all. */
export type HubRequestErrorCode = "unavailable" | "not_found" | "rejected" | "bad_response";

/** A failed call to the hub's JSON API, with the HTTP status (0 when there was no answer). */
export class HubRequestError extends Error {
  override readonly name = "HubRequestError";

  constructor(
    readonly code: HubRequestErrorCode,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
