import type Database from "better-sqlite3";
import { loadSnapshot, openDatabase } from "./sqlite-database.js";
import { SqliteSink } from "./sqlite-sink.js";
import type { Store } from "./store.js";
import { StoreEngine, type StoreEngineOptions } from "./store-engine.js";
import { resolveSqliteStoreOptions, type SqliteStoreOptions } from "./store-options.js";

/** A {@link Store} persisted in one SQLite file. */
export interface SqliteStore extends Store {
  /**
   * SQLite transactions committed so far; lets tests prove that concurrent writes share one.
   * @internal
   */
  commitCount(): number;
}

/**
 * The hub's embedded store: the whole key space is loaded into memory at open and every read is
 * served from there; writes apply in memory and are written through to SQLite (WAL,
 * synchronous=NORMAL) in group commits, each write resolving once its group has committed.
 * Reads see a write as soon as it is issued; watchers see it only once it is durable. A write
 * that cannot be persisted stops the store (later calls reject with StoreClosedError), since
 * memory would otherwise run ahead of the file.
 *
 * Survives a restart: keys, leases (id and TTL) and the revision counter. After a reopen every
 * lease expires one full TTL from the reopen time at the earliest, and watch replay starts after
 * the reopen revision (older revisions raise CompactedError).
 * @throws HubError INVALID_ARGUMENT for bad options; UNAVAILABLE when another process has the file open.
 * @example
 * const store = createSqliteStore({ path: join(dataDir, "hub.db") });
 * const lease = await store.grantLease(10_000);
 * await store.put("/instances/a", JSON.stringify(instance), { lease });
 * await store.close();
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { path, clock, historyLimit } = resolveSqliteStoreOptions(options);
  const db = openDatabase(path);
  try {
    const snapshot = loadSnapshot(db);
    return new SqliteBackedStore(db, { clock, historyLimit, snapshot });
  } catch (error) {
    db.close();
    throw error;
  }
}

class SqliteBackedStore extends StoreEngine implements SqliteStore {
  private readonly persistence: SqliteSink;

  constructor(db: Database.Database, options: Omit<StoreEngineOptions, "sink">) {
    const sink = new SqliteSink(db);
    super({ ...options, sink });
    this.persistence = sink;
  }

  commitCount(): number {
    return this.persistence.commitCount;
  }
}
