import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHubClient, type HubClient, type NodeHubClientOptions } from "@hub/client";
import { afterEach } from "vitest";
import { BaseService } from "../../src/base-service.js";
import type { BaseServiceOptions, ServiceConfigInput } from "../../src/options.js";
import { type EchoServer, startEchoServer } from "./echo-server.js";
import { type HubProcess, type StartHubOptions, startHub } from "@hub/test-support";
import { captureLogs } from "./log-capture.js";

/** Hub-client settings that make integration tests react within a second instead of tens. */
export const fastClientOptions: Omit<NodeHubClientOptions, "hubUrls"> = {
  backoff: { initialMs: 100, maxMs: 400 },
  attemptTimeoutMs: 1_000,
  callTimeoutMs: 3_000,
  watchCheckIntervalMs: 1_000,
  fallback: { breaker: { cooldownMs: 200 } },
};

/**
 * Registers an afterEach that stops, in order, every service, client, echo server and hub process
 * made through the returned helpers, then removes their temp dirs.
 */
export function useResources() {
  const services: BaseService<unknown>[] = [];
  const clients: HubClient[] = [];
  const hubs: HubProcess[] = [];
  const echoes: EchoServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(echoes.splice(0).map((echo) => echo.close()));
    await Promise.all(hubs.splice(0).map((hub) => hub.kill()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    /** A service on 127.0.0.1, port 0, no signal handlers, logs captured; not registered unless `register: true`. */
    service<T = unknown>(config: Partial<ServiceConfigInput> = {}, options: BaseServiceOptions<T> = {}) {
      const logs = captureLogs();
      const service = new BaseService<T>(
        { serviceName: "orders", register: false, ...config } as ServiceConfigInput,
        { handleSignals: false, logger: logs.logger, hubClientOptions: fastClientOptions, ...options },
      );
      services.push(service as BaseService<unknown>);
      return { service, logs };
    },
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
    async echo(): Promise<EchoServer> {
      const echo = await startEchoServer();
      echoes.push(echo);
      return echo;
    },
    async tempDir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), "base-service-"));
      dirs.push(dir);
      return dir;
    },
  };
}

export { eventually } from "@hub/test-support";

/** `fetch` + JSON body. */
export async function getJson<T = unknown>(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === "" ? undefined : JSON.parse(text)) as T,
  };
}
