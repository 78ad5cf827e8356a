import * as http from "node:http";
import { createClient, createContextValues } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Health } from "@hub/proto";
import { describe, expect, it } from "vitest";
import type { TransportFallbackEvent } from "../src/events.js";
import { idempotentCall } from "../src/retry-safety.js";
import { useResources } from "./support/resources.js";
import { refusedUrl, startConnectOnlyServer, startGrpcOnlyServer } from "./support/servers.js";

const idempotent = { contextValues: createContextValues().set(idempotentCall, true) };

function attemptsOf(events: readonly TransportFallbackEvent[]): string[] {
  return events.flatMap((event) => (event.type === "attempt" ? [event.transport] : []));
}

describe("against a server that speaks only the Connect protocol", () => {
  const use = useResources();

  it("answers over the primary transport, Connect binary on HTTP/1.1", async () => {
    const server = await use.server(startConnectOnlyServer());
    const { manager, events } = use.manager({ baseUrl: server.url });
    const response = await createClient(Health, manager).check({ service: "hub" }, { timeoutMs: 5_000 });
    expect(response.status).toBe(1);
    expect(attemptsOf(events)).toEqual(["http_protobuf"]);
  });

  it("falls back from gRPC (rejected at the HTTP/2 level) to Connect JSON", async () => {
    const server = await use.server(startConnectOnlyServer());
    const { manager, events } = use.manager({ baseUrl: server.url, order: ["http2_streaming", "http_json"] });
    await createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 5_000 });
    expect(attemptsOf(events)).toEqual(["http2_streaming", "http_json"]);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "failure",
        transport: "http2_streaming",
        classification: expect.objectContaining({ reason: "protocol_mismatch" }),
      }),
    );
    expect(server.requests()).toBe(1);
  });

  it("streams over the transport that works", async () => {
    const server = await use.server(startConnectOnlyServer());
    const { manager } = use.manager({ baseUrl: server.url, order: ["http2_streaming", "http_protobuf"] });
    const statuses: number[] = [];
    for await (const update of createClient(Health, manager).watch({}, { ...idempotent, timeoutMs: 5_000 })) {
      statuses.push(update.status);
    }
    expect(statuses).toEqual([1]);
  });
});

describe("against a server that speaks only gRPC", () => {
  const use = useResources();

  it("falls back from Connect on HTTP/1.1 to gRPC on HTTP/2, then sticks to gRPC", async () => {
    const server = await use.server(startGrpcOnlyServer());
    const { manager, events } = use.manager({ baseUrl: server.url });
    const client = createClient(Health, manager);
    await client.check({}, { ...idempotent, timeoutMs: 5_000 });
    expect(attemptsOf(events)).toEqual(["http_protobuf", "http2_streaming"]);
    expect(events).toContainEqual({
      type: "fallback",
      method: "grpc.health.v1.Health/Check",
      from: "http_protobuf",
      to: "http2_streaming",
      reason: "protocol_mismatch",
    });

    events.length = 0;
    await client.check({}, { timeoutMs: 5_000 });
    expect(attemptsOf(events)).toEqual(["http2_streaming"]);
    expect(manager.preferredTransport()).toBe("http2_streaming");
  });

  it("does not resend a non-idempotent call after the HTTP/1.1 attempt reached the server", async () => {
    const server = await use.server(startGrpcOnlyServer());
    const { manager } = use.manager({ baseUrl: server.url });
    await expect(createClient(Health, manager).check({}, { timeoutMs: 5_000 })).rejects.toMatchObject({
      reason: "RETRY_UNSAFE",
    });
    expect(server.requests()).toBe(0);
  });
});

describe("with transports of your own", () => {
  const use = useResources();

  it("falls back from a transport whose port refuses connections, even for a non-idempotent call", async () => {
    const server = await use.server(startConnectOnlyServer());
    // The manager closes only the connections of its built-in transports; these are ours to close.
    const agent = new http.Agent({ keepAlive: true });
    const nodeOptions = { agent };
    const primary = createConnectTransport({ baseUrl: await refusedUrl(), httpVersion: "1.1", nodeOptions });
    const backup = createConnectTransport({
      baseUrl: server.url,
      httpVersion: "1.1",
      useBinaryFormat: false,
      nodeOptions,
    });
    const { manager, events } = use.manager({ transports: { primary, backup } });
    try {
      await createClient(Health, manager).check({}, { timeoutMs: 5_000 });
      expect(attemptsOf(events)).toEqual(["primary", "backup"]);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "failure",
          transport: "primary",
          classification: {
            kind: "transport",
            reason: "connection_refused",
            delivery: "not_sent",
            evidence: "ECONNREFUSED",
          },
        }),
      );
    } finally {
      agent.destroy();
    }
  });
});
