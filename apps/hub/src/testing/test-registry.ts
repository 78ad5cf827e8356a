import { Registry } from "../registry/registry.js";
import { defaultRegistryDefaults, defaultRegistryLimits } from "../registry/registry-options.js";
import { createMemoryStore } from "../store/memory-store.js";
import type { Store } from "../store/store.js";
import { FakeClock } from "./fake-clock.js";

/** A registry with default settings over a store, for unit tests. */
export interface TestRegistry {
  readonly store: Store;
  readonly registry: Registry;
  /** Closes the registry, then the store. */
  close(): Promise<void>;
}

/** Opens a registry with default settings over `store`. */
export async function openRegistryOver(store: Store, clock: FakeClock): Promise<TestRegistry> {
  const registry = await Registry.open({
    store,
    clock,
    limits: defaultRegistryLimits,
    defaults: defaultRegistryDefaults,
  });
  return {
    store,
    registry,
    async close() {
      await registry.close();
      await store.close();
    },
  };
}

/** A registry with default settings over a memory store, on a fake clock of its own. */
export async function openMemoryRegistry(): Promise<TestRegistry & { readonly clock: FakeClock }> {
  const clock = new FakeClock();
  return { clock, ...(await openRegistryOver(createMemoryStore({ clock }), clock)) };
}
