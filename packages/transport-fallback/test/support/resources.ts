import { afterEach } from "vitest";
import type { TransportFallbackEvent } from "../../src/events.js";
import type { TransportFallbackOptions } from "../../src/options.js";
import type { TransportFallbackManager } from "../../src/transport-fallback-manager.js";
import { createTransportFallbackManager } from "../../src/transport-fallback-manager.js";
import type { TestServer } from "./servers.js";

/**
 * Registers an afterEach that closes, in order, every manager and then every server created through
 * the returned helpers, so a connection a manager leaks makes the server's close fail the test.
 */
export function useResources() {
  const managers: TransportFallbackManager[] = [];
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const manager of managers.splice(0)) manager.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    async server(start: Promise<TestServer>): Promise<TestServer> {
      const server = await start;
      servers.push(server);
      return server;
    },
    manager(options: TransportFallbackOptions): {
      manager: TransportFallbackManager;
      events: TransportFallbackEvent[];
    } {
      const events: TransportFallbackEvent[] = [];
      const manager = createTransportFallbackManager({ ...options, onEvent: (event) => events.push(event) });
      managers.push(manager);
      return { manager, events };
    },
  };
}
