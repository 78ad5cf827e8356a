import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { DiscoveryService } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningHub, startHub } from "./support/start-hub.js";

const allowed = "http://app.localhost:3000";

describe("CORS for browser clients", () => {
  let hub: RunningHub;

  beforeAll(async () => {
    hub = await startHub(["--cors-allowed-origins", allowed]);
    await fetch(`${hub.url}/services/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "web-api", host: "127.0.0.1", port: 9, health_check: { disabled: true } }),
    });
  });
  afterAll(() => hub.close());

  it("answers a gRPC-web preflight from an allowed origin with the methods and headers Connect needs", async () => {
    const res = await fetch(`${hub.url}/hub.v1.DiscoveryService/Discover`, {
      method: "OPTIONS",
      headers: {
        origin: allowed,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web,x-subscription-tier",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    const allowHeaders = res.headers.get("access-control-allow-headers") ?? "";
    for (const header of ["Content-Type", "X-Grpc-Web", "x-subscription-tier"]) {
      expect(allowHeaders.toLowerCase()).toContain(header.toLowerCase());
    }
  });

  it("exposes the gRPC-web status headers and the correlation id on the actual response", async () => {
    const res = await fetch(`${hub.url}/services/discover/web-api`, { headers: { origin: allowed } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase();
    expect(exposed).toContain("grpc-status");
    expect(exposed).toContain("x-correlation-id");
  });

  it("gives no CORS headers to an origin it does not allow, so the browser blocks it", async () => {
    const res = await fetch(`${hub.url}/hub.v1.DiscoveryService/Discover`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.localhost", "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("still serves gRPC-web itself", async () => {
    const client = createClient(
      DiscoveryService,
      createGrpcWebTransport({ baseUrl: hub.url, httpVersion: "1.1" }),
    );
    const answer = await client.discover({ name: "web-api" });
    expect(answer.recommendedEndpoint).toBe("http://127.0.0.1:9");
  });
});
