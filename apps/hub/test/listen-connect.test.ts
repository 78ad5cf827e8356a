import type { Transport } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import {
  connectNodeAdapter,
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Listener, listen, type NodeRequestHandler } from "../src/listen.js";

let listener: Listener;
const versions: string[] = [];

beforeAll(async () => {
  const adapter = connectNodeAdapter({
    routes: (router) =>
      router.service(Health, {
        check: () => ({ status: HealthCheckResponse_ServingStatus.SERVING }),
        async *watch() {
          yield { status: HealthCheckResponse_ServingStatus.SERVING };
        },
      }),
  });
  const recording: NodeRequestHandler = (req, res) => {
    versions.push(req.httpVersion);
    adapter(req, res);
  };
  listener = await listen(recording, { host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await listener.close();
});

describe("listen with connectNodeAdapter", () => {
  it.each<[string, (baseUrl: string) => Transport, string]>([
    ["gRPC (h2c)", (baseUrl) => createGrpcTransport({ baseUrl }), "2.0"],
    ["Connect over HTTP/1.1", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" }), "1.1"],
    ["Connect over h2c", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" }), "2.0"],
    ["gRPC-web over HTTP/1.1", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }), "1.1"],
  ])("answers %s on the one port", async (_protocol, transport, httpVersion) => {
    const client = createClient(Health, transport(listener.url));
    versions.length = 0;
    const check = await client.check({ service: "" });
    expect(check.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const watched = [];
    for await (const update of client.watch({ service: "" })) watched.push(update.status);
    expect(watched).toEqual([HealthCheckResponse_ServingStatus.SERVING]);
    expect(versions).toEqual([httpVersion, httpVersion]);
  });
});
