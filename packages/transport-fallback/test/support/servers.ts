import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@hub/proto";

/** A server on 127.0.0.1 with an ephemeral port. */
export interface TestServer {
  readonly url: string;
  /** Requests that reached the application (a handler ran or a request body was read). */
  readonly requests: () => number;
  /** Stops listening and waits for every connection to end; rejects if a client leaks one. */
  close(): Promise<void>;
}

// Long enough for a client to finish closing, short enough that a leak fails the test quickly.
const drainTimeoutMs = 2_000;

async function serve(server: net.Server, requests: () => number): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const leaked = sockets.size;
          for (const socket of sockets) socket.destroy();
          reject(new Error(`server on port ${port} still had ${leaked} open connection(s)`));
        }, drainTimeoutMs);
        server.close((error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

/** Health routes: Check answers SERVING, or throws `error` when given; Watch streams one update. */
function healthRoutes(count: () => void, error?: ConnectError) {
  return (router: ConnectRouter): void => {
    router.service(Health, {
      check: () => {
        count();
        if (error) throw error;
        return { status: HealthCheckResponse_ServingStatus.SERVING };
      },
      async *watch() {
        count();
        yield { status: HealthCheckResponse_ServingStatus.SERVING };
      },
    });
  };
}

/** Speaks only the Connect protocol, over HTTP/1.1. */
export function startConnectOnlyServer(error?: ConnectError): Promise<TestServer> {
  let requests = 0;
  const routes = healthRoutes(() => (requests += 1), error);
  const server = http.createServer(connectNodeAdapter({ routes, grpc: false, grpcWeb: false }));
  return serve(server, () => requests);
}

/** Speaks only gRPC, over cleartext HTTP/2. */
export function startGrpcOnlyServer(error?: ConnectError): Promise<TestServer> {
  let requests = 0;
  const routes = healthRoutes(() => (requests += 1), error);
  const server = http2.createServer(connectNodeAdapter({ routes, connect: false, grpcWeb: false }));
  return serve(server, () => requests);
}

/** Answers every Check with invalid_argument, in the Connect protocol over HTTP/1.1. */
export function startApplicationErrorServer(): Promise<TestServer> {
  return startConnectOnlyServer(new ConnectError("service name is empty", Code.InvalidArgument));
}

/** Accepts TCP connections and destroys them at once. */
export function startDroppingServer(): Promise<TestServer> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  return serve(server, () => connections);
}

/** Accepts TCP connections and never answers. */
export function startHangingServer(): Promise<TestServer> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.resume();
  });
  return serve(server, () => connections);
}

/** Reads each HTTP/1.1 request in full, then drops the connection without answering. */
export function startFailAfterReadServer(): Promise<TestServer> {
  let requests = 0;
  const server = http.createServer((request) => {
    request.resume();
    request.on("end", () => {
      requests += 1;
      request.socket.destroy();
    });
  });
  return serve(server, () => requests);
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function refusedUrl(): Promise<string> {
  const server = net.createServer();
  const { url, close } = await serve(server, () => 0);
  await close();
  return url;
}
