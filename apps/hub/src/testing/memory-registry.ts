import { Registry } from "../registry/registry.js";
import { defaultRegistryDefaults, defaultRegistryLimits } from "../registry/registry-options.js";
import { createMemoryStore } from "../store/memory-store.js";
import type { Store } from "../store/store.js";
import { FakeClock } from "./fake-clock.js";

/** A registry with default settings over a memory store, on a fake clock: for unit tests. */
export interface MemoryRegistry {
  readonly clock: FakeClock;
  readonly store: Store;
  readonly registry: Registry;
  /** Closes the registry, then the store. */
  close(): Promise<void>;
}

export async function openMemoryRegistry(): Promise<MemoryRegistry> {
  const clock = new FakeClock();
  const store = createMemoryStore({ clock });
  const registry = await Registry.open({
    store,
    clock,
    limits: defaultRegistryLimits,
    defaults: defaultRegistryDefaults,
  });
  return {
    clock,
    store,
    registry,
    async close() {
      await registry.close();
      await store.close();
    },
  };
}
