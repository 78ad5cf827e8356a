import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { HubClient } from "../../src/hub-client.js";
import { createHubClient } from "../../src/index.js";
import type { NodeHubClientOptions } from "../../src/options.js";
import { type HubProcess, type StartHubOptions, startHub } from "@hub/test-support";
import { type InstanceServer, startInstanceServer } from "./instance-server.js";

/** Client settings that make integration tests react within a second instead of tens. */
export const fastClientOptions: NodeHubClientOptions = {
  backoff: { initialMs: 100, maxMs: 400 },
  attemptTimeoutMs: 1_000,
  callTimeoutMs: 3_000,
  watchCheckIntervalMs: 1_000,
  // The default 10 s breaker cool-down would hold a restarted hub off for that long.
  fallback: { breaker: { cooldownMs: 200 } },
};

/**
 * Registers an afterEach that closes, in order, every client, then every instance server and
 * hub process, then removes temp dirs, all created through the returned helpers.
 */
export function useResources() {
  const clients: HubClient[] = [];
  const hubs: HubProcess[] = [];
  const servers: InstanceServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(hubs.splice(0).map((hub) => hub.kill()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async hub(options?: StartHubOptions): Promise<HubProcess> {
      const hub = await startHub(options);
      hubs.push(hub);
      return hub;
    },
    client(options: NodeHubClientOptions): HubClient {
      const client = createHubClient({ ...fastClientOptions, ...options });
      clients.push(client);
      return client;
    },
    async instance(): Promise<InstanceServer> {
      const server = await startInstanceServer();
      servers.push(server);
      return server;
    },
    async tempDir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), "hub-client-"));
      dirs.push(dir);
      return dir;
    },
  };
}

export { eventually } from "@hub/test-support";
