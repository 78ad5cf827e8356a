import type { Store } from "./store.js";
import { StoreEngine } from "./store-engine.js";
import { type MemoryStoreOptions, resolveMemoryStoreOptions } from "./store-options.js";

/**
 * A store that lives only in memory: for tests and single-process development. Everything is lost
 * when the process ends; watch replay reaches back `historyLimit` revisions.
 * @throws HubError INVALID_ARGUMENT for bad options.
 * @example
 * const store = createMemoryStore({ clock: new FakeClock() });
 * await store.put("/services/a", "{}");
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const resolved = resolveMemoryStoreOptions(options);
  return new StoreEngine({ ...resolved, sink: undefined, snapshot: undefined });
}
