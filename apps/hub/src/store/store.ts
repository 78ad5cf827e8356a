/**
 * The one storage interface of the hub, with etcd's semantics so that the embedded backends
 * (memory, SQLite) and etcd are interchangeable:
 * - every write (put, delete, txn) commits atomically at a new store-wide revision;
 * - keys may be attached to a lease and are deleted (with watch events) when it expires or is revoked;
 * - a watch delivers every event after a revision, in revision order, never dropping or reordering.
 *
 * Keys and values are strings (values are JSON documents in practice).
 */
export interface Store {
  /** The key's current value, or undefined. */
  get(key: string): Promise<KeyValue | undefined>;
  /** Every key starting with `prefix`, sorted by key, and the revision the read reflects. */
  range(prefix: string): Promise<RangeResult>;
  /** Creates or replaces a key. `lease` attaches it to a lease (0 or absent: none). */
  put(key: string, value: string, options?: PutOptions): Promise<WriteResult>;
  /** Deletes a key; `deleted` is 0 when it did not exist (no revision is then consumed). */
  delete(key: string): Promise<DeleteResult>;
  /** Compare-and-swap: applies `success` when every comparison holds, else `failure`, atomically. */
  txn(request: TxnRequest): Promise<TxnResult>;

  /** Grants a lease that expires `ttlMs` after its latest keep-alive. */
  grantLease(ttlMs: number): Promise<LeaseId>;
  /** Renews a lease; resolves undefined when the lease no longer exists (expired or revoked). */
  keepAlive(lease: LeaseId): Promise<LeaseStatus | undefined>;
  /** Revokes a lease, deleting its keys. Revoking an unknown lease is not an error. */
  revokeLease(lease: LeaseId): Promise<void>;

  /**
   * Watches every key under `prefix`. With `fromRevision` > 0, first replays every event with a
   * revision >= fromRevision, then follows live events; with 0, only events after the call.
   * A revision that can no longer be replayed makes `onError` receive a {@link CompactedError}
   * and closes the watch.
   */
  watch(prefix: string, options: WatchOptions): Watch;

  /** The latest committed revision. */
  currentRevision(): Promise<number>;
  /** Flushes pending writes and releases the backend. */
  close(): Promise<void>;
}

/** Lease id; 0 means "no lease". */
export type LeaseId = number;

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the write that created the key (since its latest deletion). */
  readonly createRevision: number;
  /** Revision of the latest write to the key. */
  readonly modRevision: number;
  /** Number of writes since the key was created (1 after creation). */
  readonly version: number;
  /** Lease the key is attached to; 0 for none. */
  readonly lease: LeaseId;
}

export interface PutOptions {
  lease?: LeaseId;
}

export interface RangeResult {
  readonly kvs: KeyValue[];
  readonly revision: number;
}

export interface WriteResult {
  readonly revision: number;
}

export interface DeleteResult {
  readonly revision: number;
  readonly deleted: number;
}

/** A condition on one key. A missing key has version, createRevision and modRevision 0 and value undefined. */
export type Compare =
  | {
      readonly key: string;
      readonly target: "version" | "createRevision" | "modRevision";
      readonly op: CompareOp;
      readonly value: number;
    }
  | { readonly key: string; readonly target: "value"; readonly op: "==" | "!="; readonly value: string };

export type CompareOp = "==" | "!=" | "<" | ">";

export type TxnOp =
  | { readonly type: "put"; readonly key: string; readonly value: string; readonly lease?: LeaseId }
  | { readonly type: "delete"; readonly key: string }
  | { readonly type: "deletePrefix"; readonly prefix: string };

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure?: readonly TxnOp[];
}

export interface TxnResult {
  readonly succeeded: boolean;
  /** The store revision after the transaction (unchanged if it wrote nothing). */
  readonly revision: number;
}

export interface LeaseStatus {
  readonly ttlMs: number;
}

export type WatchEvent =
  | { readonly type: "put"; readonly kv: KeyValue; readonly prevKv: KeyValue | undefined }
  /** `kv.modRevision` is the revision of the deletion; `kv.value` is "". */
  | { readonly type: "delete"; readonly kv: KeyValue; readonly prevKv: KeyValue | undefined };

/** The events of one revision (one committed write), delivered together. */
export interface WatchBatch {
  readonly revision: number;
  readonly events: readonly WatchEvent[];
}

export interface WatchOptions {
  /** Replay from this revision (inclusive); 0 = only future events. */
  readonly fromRevision: number;
  readonly onEvents: (batch: WatchBatch) => void;
  readonly onError?: (error: Error) => void;
}

export interface Watch {
  close(): void;
}

/** The requested revision is older than the oldest revision the store can replay. */
export class CompactedError extends Error {
  override readonly name = "CompactedError";
  constructor(
    readonly requestedRevision: number,
    readonly compactRevision: number,
  ) {
    super(`revision ${requestedRevision} is compacted; the oldest replayable revision is ${compactRevision}`);
  }
}
