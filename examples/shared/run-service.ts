import type { AddressInfo } from "node:net";
import { createHealthRoutes } from "./health-routes.js";
import { createHubClient, type HubClient, type RegisterRequest } from "./hub-client.js";
import { createHubRegistration } from "./hub-registration.js";
import { createJsonServer, type Route } from "./json-server.js";
import { log } from "./log.js";
import { createRequestStats } from "./request-stats.js";
import { readServiceEnv } from "./service-env.js";

/** Where every example listens: the examples are local processes, never exposed. */
const HOST = "127.0.0.1";

/** What a service has at hand when it builds its routes. */
export interface ServiceContext {
  serviceName: string;
  /** The hub's JSON API, for discovering other services. */
  hub: HubClient;
}

/** One example service: its identity, its business routes and how it registers. */
export interface ServiceDefinition {
  name: string;
  version: string;
  /** Used when `PORT` is unset. */
  defaultPort: number;
  routes(context: ServiceContext): Route[];
  /** Extra registration fields (tier requirements, tags, ...); name, host, port and health are filled in. */
  registration?: Omit<RegisterRequest, "name" | "host" | "port">;
}

/**
 * Runs a service until SIGTERM or SIGINT: listens on 127.0.0.1, prints
 * `{"msg":"listening","port":N}`, registers with the hub at `HUB_URL`, heartbeats, and on
 * the signal deregisters, closes the server and exits 0.
 */
export async function runService(definition: ServiceDefinition): Promise<void> {
  const env = readServiceEnv(definition.defaultPort);
  const hub = createHubClient(env.hubUrl);
  const startedAtMs = Date.now();
  const stats = createRequestStats(startedAtMs);
  let hubReachable = (): boolean => false;

  const routes = [
    ...createHealthRoutes({
      serviceName: definition.name,
      version: definition.version,
      startedAtMs,
      stats,
      dependencies: () => ({ "central-hub": hubReachable() ? "healthy" : "unhealthy" }),
    }),
    ...definition.routes({ serviceName: definition.name, hub }),
  ];
  const server = createJsonServer(routes, (durationMs, status, tenant) =>
    stats.record(durationMs, status >= 500, tenant["x-company-id"]),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.port, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log({ msg: "listening", service: definition.name, port, url: `http://${HOST}:${port}` });

  const registration = createHubRegistration({
    client: hub,
    heartbeatIntervalMs: env.heartbeatIntervalMs,
    request: {
      protocol: "http",
      health_endpoint: "/health",
      version: definition.version,
      ...definition.registration,
      ...(env.instanceId === undefined ? {} : { id: env.instanceId }),
      name: definition.name,
      host: HOST,
      port,
    },
  });
  hubReachable = registration.hubReachable;

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log({ msg: "stopping", service: definition.name, signal });
    await registration.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    log({ msg: "stopped", service: definition.name });
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));

  await registration.start();
}
