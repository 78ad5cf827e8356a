import type Database from "better-sqlite3";
import { metaLeaseSequence, metaRevision } from "./sqlite-database.js";
import type { KeyValue, LeaseId } from "./store.js";
import type { StoreSink } from "./store-sink.js";

/** Everything recorded since the last flush, and the promise its writers wait on. */
interface Group {
  /** Latest state per key; null = deleted. Superseded writes in one group never reach the disk. */
  readonly keys: Map<string, KeyValue | null>;
  /** TTL per lease; null = removed. */
  readonly leases: Map<LeaseId, number | null>;
  revision: number | undefined;
  leaseSequence: number | undefined;
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit into SQLite: everything recorded during one turn of the event loop (every write
 * issued in the same tick or its microtasks) is written in ONE transaction from a `setImmediate`,
 * and each of those writes resolves when it commits. Thousands of writes per second thus cost a
 * few transactions, not one each.
 * @internal
 */
export class SqliteSink implements StoreSink {
  private group: Group | undefined;
  private failure: { readonly error: unknown } | undefined;
  private commits = 0;
  private closed = false;
  private readonly writeGroup: (group: Group) => void;

  constructor(private readonly db: Database.Database) {
    const upsertKv = db.prepare(
      `INSERT INTO kv (key, value, create_revision, mod_revision, version, lease) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, create_revision = excluded.create_revision,
         mod_revision = excluded.mod_revision, version = excluded.version, lease = excluded.lease`,
    );
    const deleteKv = db.prepare("DELETE FROM kv WHERE key = ?");
    const upsertLease = db.prepare("INSERT OR REPLACE INTO lease (id, ttl_ms) VALUES (?, ?)");
    const deleteLease = db.prepare("DELETE FROM lease WHERE id = ?");
    const setMeta = db.prepare(
      "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    );
    this.writeGroup = db.transaction((group: Group) => {
      for (const [key, kv] of group.keys) {
        if (kv === null) deleteKv.run(key);
        else upsertKv.run(key, kv.value, kv.createRevision, kv.modRevision, kv.version, kv.lease);
      }
      for (const [id, ttlMs] of group.leases) {
        if (ttlMs === null) deleteLease.run(id);
        else upsertLease.run(id, ttlMs);
      }
      if (group.revision !== undefined) setMeta.run(metaRevision, group.revision);
      if (group.leaseSequence !== undefined) setMeta.run(metaLeaseSequence, group.leaseSequence);
    });
  }

  /** SQLite transactions committed so far. */
  get commitCount(): number {
    return this.commits;
  }

  recordPut(kv: KeyValue): void {
    this.open().keys.set(kv.key, kv);
  }

  recordDelete(key: string): void {
    this.open().keys.set(key, null);
  }

  recordLease(id: LeaseId, ttlMs: number): void {
    const group = this.open();
    group.leases.set(id, ttlMs);
    group.leaseSequence = Math.max(group.leaseSequence ?? 0, id);
  }

  recordLeaseRemoved(id: LeaseId): void {
    this.open().leases.set(id, null);
  }

  recordRevision(revision: number): void {
    this.open().revision = revision;
  }

  sync(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure.error);
    return this.group?.done ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const failedBefore = this.failure !== undefined;
    this.flush();
    this.db.close();
    // An earlier failure already rejected the writes it concerned; only a new one is news here.
    if (this.failure !== undefined && !failedBefore) throw this.failure.error;
  }

  /** The group collecting writes, started (with its flush scheduled) on the first record. */
  private open(): Group {
    if (this.group !== undefined) return this.group;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Writers always await `done`; this only keeps a failed group from counting as unhandled.
    done.catch(() => {});
    this.group = {
      keys: new Map(),
      leases: new Map(),
      revision: undefined,
      leaseSequence: undefined,
      done,
      resolve,
      reject,
    };
    setImmediate(() => this.flush());
    return this.group;
  }

  private flush(): void {
    const group = this.group;
    if (group === undefined) return;
    this.group = undefined;
    if (this.failure !== undefined) {
      group.reject(this.failure.error);
      return;
    }
    try {
      this.writeGroup(group);
      this.commits++;
      group.resolve();
    } catch (error) {
      this.failure = { error };
      group.reject(error);
    }
  }
}
