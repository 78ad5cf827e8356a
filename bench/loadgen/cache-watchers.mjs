import { createHubClient } from "@hub/client";

/**
 * Watchers as @hub/client instances, each with its own watch-fed cache: a change is seen when
 * the client announces (`instance_changed`) that its cache took in the new instance, which is
 * also when `discover` answers with it.
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
  /** @type {{ name: string, id: string } | undefined} */
  let expected;
  /** @type {(watcher: number) => void} */
  let seen = () => {};
  for (const [w, client] of clients.entries()) {
    client.on("instance_changed", (event) => {
      if (event.name === expected?.name && event.instanceId === expected.id && event.instance !== null)
        seen(w);
    });
  }
  return {
    expect(change, onSeen) {
      expected = change;
      seen = onSeen;
    },
    async close() {
      expected = undefined;
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
