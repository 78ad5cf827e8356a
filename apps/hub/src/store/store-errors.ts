import type { LeaseId } from "./store.js";

/**
 * A put (or a txn put) named a lease that does not exist: never granted, revoked or expired.
 * Like etcd's "requested lease not found", the whole write is rejected and nothing changes.
 */
export class LeaseNotFoundError extends Error {
  override readonly name = "LeaseNotFoundError";
  constructor(readonly lease: LeaseId) {
    super(`lease ${lease} not found`);
  }
}

/** The store was closed, or failed to persist a write and stopped (`cause` holds that failure). */
export class StoreClosedError extends Error {
  override readonly name = "StoreClosedError";
  constructor(options?: { cause?: unknown }) {
    super(
      options?.cause === undefined ? "store is closed" : "store stopped after a write failed to persist",
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
  }
}
