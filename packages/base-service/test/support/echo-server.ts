import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A downstream service that answers every request with the headers it received, as JSON. */
export interface EchoServer {
  readonly url: string;
  /** Headers of every request received, in order. */
  readonly received: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Starts an {@link EchoServer} on 127.0.0.1 with an ephemeral port. */
export async function startEchoServer(): Promise<EchoServer> {
  const received: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    received.push(request.headers);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ headers: request.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
