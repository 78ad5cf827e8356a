import { createHubClient } from "@hub/client";

/**
 * Watchers as @hub/client instances, each with its own watch-fed cache: a change is seen when
 * the client's cache lists the new instance. The cache has no change event, so pending clients'
 * revisions are polled once per event-loop turn (setImmediate) while a change is expected.
 * @param {{ host: string, h1Port: number, watchers: number }} spec
 * @returns {Promise<import("./watch-client.mjs").Watchers>}
 */
export async function startCacheWatchers(spec) {
  const url = `http://${spec.host}:${spec.h1Port}`;
  const clients = Array.from({ length: spec.watchers }, () =>
    createHubClient({ hubUrls: [url], watchOnStart: true }),
  );
  const deadline = Date.now() + 30_000;
  while (!clients.every((client) => client.cacheState().loaded)) {
    if (Date.now() > deadline) throw new Error("@hub/client caches did not load within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  let generation = 0;
  return {
    expect(change, seen) {
      const mine = ++generation;
      const pending = new Set(clients.keys());
      // Look into a cache only when its revision moved: polling must not slow the clients down.
      const revisions = clients.map(() => -1n);
      const poll = () => {
        if (mine !== generation) return;
        for (const w of pending) {
          const { revision } = clients[w].cacheState();
          if (revision === revisions[w]) continue;
          revisions[w] = revision;
          const service = clients[w].cachedServices().find((s) => s.name === change.name);
          if (service?.instances.some((instance) => instance.id === change.id)) {
            pending.delete(w);
            seen(w);
          }
        }
        if (pending.size > 0) setImmediate(poll);
      };
      setImmediate(poll);
    },
    async close() {
      generation++;
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
