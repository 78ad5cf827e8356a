import { join } from "node:path";
import type { Clock } from "../clock.js";
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
 * @throws HubError INVALID_ARGUMENT for a bad config; UNAVAILABLE when the database file is in use.
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
      return createSqliteStore({ ...options, path: join(config.dataDir, storeFileName) });
  }
}
