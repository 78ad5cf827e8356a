import * as http from "node:http";
import type * as net from "node:net";

/** A service instance the hub can health-check: GET /health answers 200 or 503 as told. */
export interface InstanceServer {
  readonly port: number;
  /** Whether /health answers 200 (true) or 503 (false). */
  healthy: boolean;
  close(): Promise<void>;
}

/** Starts an instance server on 127.0.0.1 with an ephemeral port. */
export async function startInstanceServer(): Promise<InstanceServer> {
  const state = { healthy: true };
  const server = http.createServer((request, response) => {
    request.resume();
    const status = state.healthy ? 200 : 503;
    response.writeHead(status, { "content-type": "application/json", connection: "close" });
    response.end(JSON.stringify({ status: state.healthy ? "healthy" : "unhealthy" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    get healthy() {
      return state.healthy;
    },
    set healthy(value: boolean) {
      state.healthy = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
