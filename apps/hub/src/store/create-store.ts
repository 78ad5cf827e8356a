import { join } from "node:path";
import type { Clock } from "../clock.js";
import { HubError } from "../errors/hub-error.js";
import { createMemoryStore } from "./memory-store.js";
import { createSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

/** Name of the SQLite file inside the data directory. */
export const storeFileName = "hub.db";

/**
 * The store settings of the hub's config; the hub's `HubConfig` satisfies it as it is.
 */
export interface StoreConfig {
  /** "sqlite": one file in `dataDir`; "memory": nothing survives the process. */
  readonly storage: "sqlite" | "memory";
  /** Directory of the SQLite file, created when missing; unused by the memory backend. */
  readonly dataDir: string;
  /** Revisions kept for watch replay. Default: 10,000. */
  readonly historyLimit?: number;
}

/**
 * Builds the configured store backend. Async because networked backends (etcd) will connect first.
 * @param clock source of time for leases. Default: the system clock.
 * @throws HubError INVALID_ARGUMENT for a bad config; UNAVAILABLE when the database file is in use
 *   or the data directory cannot be opened.
 * @example
 * const store = await createStore(config); // config: HubConfig
 */
export async function createStore(config: StoreConfig, clock?: Clock): Promise<Store> {
  const options = {
    ...(clock === undefined ? {} : { clock }),
    ...(config.historyLimit === undefined ? {} : { historyLimit: config.historyLimit }),
  };
  switch (config.storage) {
    case "memory":
      return createMemoryStore(options);
    case "sqlite":
      try {
        return createSqliteStore({ ...options, path: join(config.dataDir, storeFileName) });
      } catch (error) {
        if (error instanceof HubError) throw error;
        // File-system errors (EACCES, EEXIST, a bad path) name neither the directory nor the cause.
        const reason = error instanceof Error ? error.message : String(error);
        throw new HubError("UNAVAILABLE", `data dir ${config.dataDir}: cannot open the store (${reason})`, {
          cause: error,
        });
      }
  }
}
