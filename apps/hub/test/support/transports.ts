import * as http from "node:http";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { DiscoveryService, Health, HealthService, RegistryService } from "@hub/proto";

/** One of the Connect-family protocols the hub serves, as a client speaks it. */
export interface TransportKind {
  /** For test titles, e.g. "gRPC (h2c)". */
  readonly name: string;
  /** Safe in service names, e.g. "grpc". */
  readonly slug: string;
  open(baseUrl: string): OpenTransport;
}

/** A transport and the connections it owns. */
export interface OpenTransport {
  readonly transport: Transport;
  /** Destroys the transport's connections (HTTP/1.1 agent sockets or the HTTP/2 session). */
  close(): void;
}

/** A dedicated keep-alive agent per transport, so closing it closes exactly its sockets. */
function overHttp1(create: (agent: http.Agent) => Transport): OpenTransport {
  const agent = new http.Agent({ keepAlive: true });
  return { transport: create(agent), close: () => agent.destroy() };
}

/** Connect (binary and JSON), gRPC and gRPC-web: it.each over this for the same behaviour on each. */
export const transportKinds: readonly TransportKind[] = [
  {
    name: "Connect binary (HTTP/1.1)",
    slug: "connect-bin",
    open: (baseUrl) =>
      overHttp1((agent) =>
        createConnectTransport({
          baseUrl,
          httpVersion: "1.1",
          useBinaryFormat: true,
          nodeOptions: { agent },
        }),
      ),
  },
  {
    name: "Connect JSON (HTTP/1.1)",
    slug: "connect-json",
    open: (baseUrl) =>
      overHttp1((agent) =>
        createConnectTransport({
          baseUrl,
          httpVersion: "1.1",
          useBinaryFormat: false,
          nodeOptions: { agent },
        }),
      ),
  },
  {
    name: "gRPC (h2c)",
    slug: "grpc",
    open: (baseUrl) => {
      const sessionManager = new Http2SessionManager(baseUrl);
      return {
        transport: createGrpcTransport({ baseUrl, sessionManager }),
        close: () => sessionManager.abort(),
      };
    },
  },
  {
    name: "gRPC-web (HTTP/1.1)",
    slug: "grpc-web",
    open: (baseUrl) =>
      overHttp1((agent) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { agent } })),
  },
];

/** The gRPC transport alone (grpc.health.v1 is a gRPC protocol). */
export const grpcKind: TransportKind = transportKinds.find((kind) => kind.slug === "grpc")!;

/** A client for each hub service over one transport. */
export interface HubClients {
  readonly registry: Client<typeof RegistryService>;
  readonly discovery: Client<typeof DiscoveryService>;
  readonly health: Client<typeof HealthService>;
  readonly grpcHealth: Client<typeof Health>;
  close(): void;
}

export function openClients(kind: TransportKind, baseUrl: string): HubClients {
  const { transport, close } = kind.open(baseUrl);
  return {
    registry: createClient(RegistryService, transport),
    discovery: createClient(DiscoveryService, transport),
    health: createClient(HealthService, transport),
    grpcHealth: createClient(Health, transport),
    close,
  };
}
