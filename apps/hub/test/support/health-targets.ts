import * as http from "node:http";
import * as http2 from "node:http2";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus, HealthCheckResponseSchema } from "@hub/proto";

/** How long closing a target may wait for its connections before calling them leaked. */
const closeGraceMs = 3_000;

/** Listens on 127.0.0.1 with an OS-chosen port. */
function listenLocal(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Closes `server` and waits for its connections to end. One still open after the grace period
 * (the hub's probe did not let go) is destroyed and the close rejects, failing the test.
 */
function closeServer(server: Server, sockets: Set<Socket>, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const open = sockets.size;
      for (const socket of sockets) socket.destroy();
      reject(new Error(`${what}: ${open} connection(s) still open ${closeGraceMs} ms after close`));
    }, closeGraceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return sockets;
}

/** What an HTTP target's /health answers: 200, 503, or 200 with {"status":"degraded"}. */
export type HttpHealthMode = "ok" | "failing" | "degraded";

/** A real HTTP service whose /health the test switches. */
export interface HttpHealthTarget {
  readonly port: number;
  /** Requests to /health so far. */
  readonly probes: number;
  set(mode: HttpHealthMode): void;
  close(): Promise<void>;
}

export async function startHttpHealthTarget(initial: HttpHealthMode = "ok"): Promise<HttpHealthTarget> {
  let mode = initial;
  let probes = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== "/health") {
      res.writeHead(404).end();
      return;
    }
    probes++;
    const [status, body] =
      mode === "ok"
        ? [200, { service_name: "target", status: "healthy" }]
        : mode === "degraded"
          ? [200, { service_name: "target", status: "degraded" }]
          : [503, { service_name: "target", status: "unhealthy" }];
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  const sockets = trackSockets(server);
  const port = await listenLocal(server);
  return {
    port,
    get probes() {
      return probes;
    },
    set: (next) => {
      mode = next;
    },
    close: () => closeServer(server, sockets, "HTTP health target"),
  };
}

/** A real gRPC server (h2c) implementing grpc.health.v1 with statuses the test switches. */
export interface GrpcHealthTarget {
  readonly port: number;
  /** Sets the status Check reports for `service` ("" = the whole server). */
  set(service: string, status: HealthCheckResponse_ServingStatus): void;
  close(): Promise<void>;
}

export async function startGrpcHealthTarget(
  initial: Record<string, HealthCheckResponse_ServingStatus> = {
    "": HealthCheckResponse_ServingStatus.SERVING,
  },
): Promise<GrpcHealthTarget> {
  const statuses = new Map(Object.entries(initial));
  const handler = connectNodeAdapter({
    routes: (router) =>
      router.service(Health, {
        check(request) {
          const status = statuses.get(request.service);
          if (status === undefined)
            throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
          return create(HealthCheckResponseSchema, { status });
        },
      }),
  });
  const server = http2.createServer(handler);
  const sockets = trackSockets(server);
  const port = await listenLocal(server);
  return {
    port,
    set: (service, status) => {
      statuses.set(service, status);
    },
    // Sessions are not closed here: the hub must have closed its probe's session by now.
    close: () => closeServer(server, sockets, "gRPC health target"),
  };
}

/** A plain TCP server that accepts connections (and closes them at once). */
export interface TcpTarget {
  readonly port: number;
  close(): Promise<void>;
}

export async function startTcpTarget(): Promise<TcpTarget> {
  const server = createServer((socket) => socket.end());
  const sockets = trackSockets(server);
  const port = await listenLocal(server);
  return { port, close: () => closeServer(server, sockets, "TCP target") };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenLocal(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
