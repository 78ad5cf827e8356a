import type { Clock } from "../clock.js";
import { KeySpace } from "./key-space.js";
import { type Lease, LeaseTable } from "./lease-table.js";
import type {
  DeleteResult,
  KeyValue,
  LeaseId,
  LeaseStatus,
  PutOptions,
  RangeResult,
  Store,
  TxnOp,
  TxnRequest,
  TxnResult,
  Watch,
  WatchBatch,
  WatchEvent,
  WatchOptions,
  WriteResult,
} from "./store.js";
import { LeaseNotFoundError, StoreClosedError } from "./store-errors.js";
import { assertKey, assertLeaseId, assertRevision, assertTtl, assertTxnRequest } from "./store-input.js";
import type { StoreSink, StoreSnapshot } from "./store-sink.js";
import { assertNoOverlap, compareHolds } from "./txn-check.js";
import { WatchHub } from "./watch-hub.js";

/** @internal */
export interface StoreEngineOptions {
  readonly clock: Clock;
  /** Revisions kept for watch replay. */
  readonly historyLimit: number;
  /** Persistence; undefined for a memory-only store. */
  readonly sink: StoreSink | undefined;
  /** State restored at open; undefined for an empty store. */
  readonly snapshot: StoreSnapshot | undefined;
}

/**
 * The one implementation of {@link Store} semantics, shared by every embedded backend: all state
 * lives in memory and every read is served from it; a {@link StoreSink}, when present, makes writes
 * durable, and each write resolves (and its watch events are published) only once it is.
 *
 * Writes apply synchronously, so each one sees every write issued before it and revisions follow
 * issue order; only the wait for durability is asynchronous.
 * @internal
 */
export class StoreEngine implements Store {
  private readonly sink: StoreSink | undefined;
  private readonly keys: KeySpace;
  private readonly leases: LeaseTable;
  private readonly hub: WatchHub;
  private revision: number;
  private nextLeaseId: LeaseId;
  /** Applied batches waiting for the sink to make them durable before watchers see them. */
  private unpublished: WatchBatch[] = [];
  private unpublishedHead = 0;
  private closing: Promise<void> | undefined;
  private failure: unknown;

  constructor(options: StoreEngineOptions) {
    const snapshot = options.snapshot;
    this.sink = options.sink;
    this.revision = snapshot?.revision ?? 0;
    this.nextLeaseId = snapshot?.nextLeaseId ?? 1;
    this.keys = new KeySpace(snapshot?.kvs ?? []);
    this.hub = new WatchHub(options.historyLimit, this.revision + 1);
    this.leases = new LeaseTable(options.clock, (id) => this.expire(id));
    // A restored lease starts a full TTL from now: keep-alives were never persisted, so this grace
    // is what lets every holder renew before anything expires.
    for (const lease of snapshot?.leases ?? []) this.leases.grant(lease.id, lease.ttlMs);
    this.adoptLeasedKeys();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertUsable();
    return this.keys.get(key);
  }

  async range(prefix: string): Promise<RangeResult> {
    this.assertUsable();
    return { kvs: this.keys.range(prefix), revision: this.revision };
  }

  async put(key: string, value: string, options?: PutOptions): Promise<WriteResult> {
    this.assertUsable();
    const op: TxnOp = { type: "put", key, value, lease: options?.lease ?? 0 };
    assertTxnRequest({ compare: [], success: [op] });
    this.requireLeases([op]);
    this.apply([op]);
    const revision = this.revision;
    await this.settle();
    return { revision };
  }

  async delete(key: string): Promise<DeleteResult> {
    this.assertUsable();
    assertKey(key);
    const before = this.revision;
    this.apply([{ type: "delete", key }]);
    const revision = this.revision;
    await this.settle();
    return { revision, deleted: revision === before ? 0 : 1 };
  }

  async txn(request: TxnRequest): Promise<TxnResult> {
    this.assertUsable();
    assertTxnRequest(request);
    // Both branches are checked, so a malformed txn fails whichever way its compares go.
    assertNoOverlap(request.success);
    assertNoOverlap(request.failure ?? []);
    const succeeded = request.compare.every((compare) => compareHolds(this.keys, compare));
    const ops = succeeded ? request.success : (request.failure ?? []);
    this.requireLeases(ops);
    this.apply(ops);
    const revision = this.revision;
    await this.settle();
    return { succeeded, revision };
  }

  async grantLease(ttlMs: number): Promise<LeaseId> {
    this.assertUsable();
    assertTtl(ttlMs);
    const id = this.nextLeaseId++;
    this.leases.grant(id, ttlMs);
    this.sink?.recordLease(id, ttlMs);
    await this.settle();
    return id;
  }

  async keepAlive(lease: LeaseId): Promise<LeaseStatus | undefined> {
    this.assertUsable();
    assertLeaseId(lease);
    const live = this.liveLease(lease);
    if (live === undefined) return undefined;
    // In memory only: a restart grants every lease a full TTL anyway, so renewals need no disk write.
    this.leases.renew(live);
    return { ttlMs: live.ttlMs };
  }

  async revokeLease(lease: LeaseId): Promise<void> {
    this.assertUsable();
    assertLeaseId(lease);
    this.dropLease(lease);
    await this.settle();
  }

  watch(prefix: string, options: WatchOptions): Watch {
    if (typeof prefix !== "string") throw new TypeError("prefix must be a string");
    assertRevision(options.fromRevision, "fromRevision");
    const stopped = this.stoppedError();
    if (stopped !== undefined) return this.hub.failedWatch(prefix, options, stopped);
    return this.hub.watch(prefix, options, this.revision);
  }

  async currentRevision(): Promise<number> {
    this.assertUsable();
    return this.revision;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.leases.stopTimers();
    this.hub.closeAll();
    await this.sink?.close();
  }

  /** Applies `ops` at one new revision, or at none when they change nothing. */
  private apply(ops: readonly TxnOp[]): void {
    const revision = this.revision + 1;
    const events: WatchEvent[] = [];
    for (const op of ops) {
      if (op.type === "put") events.push(this.putKey(op.key, op.value, op.lease ?? 0, revision));
      else if (op.type === "delete") this.deleteKey(op.key, revision, events);
      else for (const key of this.keys.keysWithPrefix(op.prefix)) this.deleteKey(key, revision, events);
    }
    if (events.length === 0) return;
    this.revision = revision;
    this.sink?.recordRevision(revision);
    const batch: WatchBatch = { revision, events };
    if (this.sink === undefined) this.hub.publish(batch);
    else this.unpublished.push(batch);
  }

  private putKey(key: string, value: string, lease: LeaseId, revision: number): WatchEvent {
    const prevKv = this.keys.get(key);
    const kv: KeyValue = {
      key,
      value,
      createRevision: prevKv?.createRevision ?? revision,
      modRevision: revision,
      version: (prevKv?.version ?? 0) + 1,
      lease,
    };
    this.keys.set(kv);
    this.leases.move(key, prevKv?.lease ?? 0, lease);
    this.sink?.recordPut(kv);
    return { type: "put", kv, prevKv };
  }

  private deleteKey(key: string, revision: number, events: WatchEvent[]): void {
    const prevKv = this.keys.remove(key);
    if (prevKv === undefined) return;
    this.leases.move(key, prevKv.lease, 0);
    this.sink?.recordDelete(key);
    const kv: KeyValue = { key, value: "", createRevision: 0, modRevision: revision, version: 0, lease: 0 };
    events.push({ type: "delete", kv, prevKv });
  }

  /** @throws LeaseNotFoundError when a put names a lease that is gone (or due, which expires it now). */
  private requireLeases(ops: readonly TxnOp[]): void {
    for (const op of ops) {
      if (op.type !== "put" || op.lease === undefined || op.lease === 0) continue;
      if (this.liveLease(op.lease) === undefined) throw new LeaseNotFoundError(op.lease);
    }
  }

  /** The lease if it is still live; a due lease whose timer has not run yet is expired here. */
  private liveLease(id: LeaseId): Lease | undefined {
    const lease = this.leases.get(id);
    if (lease === undefined || !this.leases.isDue(lease)) return lease;
    this.expire(id);
    return undefined;
  }

  /** Removes a lease and deletes its keys at one revision. */
  private dropLease(id: LeaseId): void {
    const lease = this.leases.remove(id);
    if (lease === undefined) return;
    this.sink?.recordLeaseRemoved(id);
    this.apply(this.leases.keysOf(lease).map((key): TxnOp => ({ type: "delete", key })));
  }

  /** Timer-driven (or discovered) expiry; nobody awaits it, and a failure already stops the store. */
  private expire(id: LeaseId): void {
    if (this.stoppedError() !== undefined) return;
    this.dropLease(id);
    this.settle().catch(() => {});
  }

  /** Attaches restored keys to their leases; keys whose lease is gone die now, as they would have. */
  private adoptLeasedKeys(): void {
    const orphans: TxnOp[] = [];
    for (const kv of this.keys.values()) {
      if (kv.lease === 0) continue;
      if (this.leases.get(kv.lease) === undefined) orphans.push({ type: "delete", key: kv.key });
      else this.leases.move(kv.key, 0, kv.lease);
    }
    if (orphans.length === 0) return;
    this.apply(orphans);
    this.settle().catch(() => {});
  }

  /** Waits until everything applied so far is durable, then lets watchers see it. */
  private async settle(): Promise<void> {
    if (this.sink === undefined) return;
    const upTo = this.revision;
    try {
      await this.sink.sync();
    } catch (error) {
      this.fail(error);
      throw error;
    }
    this.publishUpTo(upTo);
  }

  private publishUpTo(revision: number): void {
    while (this.unpublishedHead < this.unpublished.length) {
      const batch = this.unpublished[this.unpublishedHead]!;
      if (batch.revision > revision) break;
      this.hub.publish(batch);
      this.unpublishedHead++;
    }
    // Compact now and then so a steady stream of writes does not grow the array forever.
    if (this.unpublishedHead > 1024 && this.unpublishedHead * 2 > this.unpublished.length) {
      this.unpublished = this.unpublished.slice(this.unpublishedHead);
      this.unpublishedHead = 0;
    }
  }

  /** A write could not be made durable: memory is now ahead of disk, so stop serving. */
  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.leases.stopTimers();
    this.hub.closeAll(new StoreClosedError({ cause: error }));
  }

  private stoppedError(): StoreClosedError | undefined {
    if (this.failure !== undefined) return new StoreClosedError({ cause: this.failure });
    if (this.closing !== undefined) return new StoreClosedError();
    return undefined;
  }

  private assertUsable(): void {
    const stopped = this.stoppedError();
    if (stopped !== undefined) throw stopped;
  }
}
