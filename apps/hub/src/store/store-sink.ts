import type { KeyValue, LeaseId } from "./store.js";

/**
 * Where a persistent backend makes the engine's changes durable. The engine records each change
 * synchronously as it applies it, then awaits {@link StoreSink.sync}; a sink is free to merge
 * everything recorded before a flush into one transaction (group commit).
 * @internal
 */
export interface StoreSink {
  recordPut(kv: KeyValue): void;
  recordDelete(key: string): void;
  recordLease(id: LeaseId, ttlMs: number): void;
  recordLeaseRemoved(id: LeaseId): void;
  recordRevision(revision: number): void;
  /** Resolves once everything recorded so far is durable; rejects if that failed. */
  sync(): Promise<void>;
  /** Makes everything recorded durable, then releases the underlying resources. */
  close(): Promise<void>;
}

/** A persisted lease: keep-alives are not stored, so a restart grants one full TTL of grace. @internal */
export interface StoredLease {
  readonly id: LeaseId;
  readonly ttlMs: number;
}

/** The state a persistent backend restores at open. @internal */
export interface StoreSnapshot {
  /** Latest committed revision; history (replay) starts after it. */
  readonly revision: number;
  readonly kvs: Iterable<KeyValue>;
  readonly leases: Iterable<StoredLease>;
  /** Lease ids are never reused, even across restarts, so a stale id cannot renew a new lease. */
  readonly nextLeaseId: LeaseId;
}
