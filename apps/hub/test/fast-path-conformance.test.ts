import { request as http1Request } from "node:http";
import { connect as http2Connect } from "node:http2";
import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { DiscoverRequestSchema, GetServiceRequestSchema, HeartbeatRequestSchema } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../src/testing/fake-clock.js";
import { type RunningHub, startHub } from "./support/start-hub.js";

/** What a client can observe of a response: status, headers (minus per-connection ones) and exact bytes. */
interface Observed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const perConnection = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

function observe(status: number, rawHeaders: Record<string, unknown>, body: Buffer): Observed {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (name.startsWith(":") || perConnection.has(name)) continue;
    headers[name] = String(value);
  }
  return { status, headers, body: body.toString("base64") };
}

function post1(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const req = http1Request(
      `${url}${path}`,
      { method: "POST", headers: { ...headers, "content-length": String(body.byteLength) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(observe(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function post2(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url);
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      ...headers,
      "content-length": String(body.byteLength),
    });
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      responseHeaders = h;
    });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      session.close();
      resolve(observe(status, responseHeaders, Buffer.concat(chunks)));
    });
    stream.end(body);
  });
}

/** A gRPC call as a client sees it: status, headers, body bytes and trailers. */
function grpc2(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<Observed & { trailers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, te: "trailers", ...headers });
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    let trailers: Record<string, string> = {};
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      responseHeaders = h;
    });
    stream.on("trailers", (t) => {
      trailers = observe(0, t, Buffer.alloc(0)).headers;
    });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("close", () => {
      session.close();
      resolve({ ...observe(status, responseHeaders, Buffer.concat(chunks)), trailers });
    });
    stream.end(body);
  });
}

/** A gRPC length-prefixed message. */
function envelope(message: Uint8Array, flags = 0, length = message.byteLength): Uint8Array {
  const out = Buffer.alloc(5 + message.byteLength);
  out[0] = flags;
  out.writeUInt32BE(length, 1);
  out.set(message, 5);
  return out;
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const proto = "application/proto";
const jsonType = "application/json";
const discover = "/hub.v1.DiscoveryService/Discover";
const getService = "/hub.v1.RegistryService/GetService";
const heartbeat = "/hub.v1.RegistryService/Heartbeat";

/** Requests that must get the same answer, byte for byte, from the fast path and from connect-node. */
const cases: Array<{ case: string; path: string; headers: Record<string, string>; body: Uint8Array }> = [
  {
    case: "Discover, binary",
    path: discover,
    headers: { "content-type": proto },
    body: toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "pricing" })),
  },
  {
    case: "Discover, JSON",
    path: discover,
    headers: { "content-type": jsonType },
    body: json({ name: "pricing" }),
  },
  {
    case: "Discover, JSON with charset",
    path: discover,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: json({ name: "pricing", strategy: "SELECTION_STRATEGY_WEIGHTED" }),
  },
  {
    case: "Discover with the protocol version and a timeout",
    path: discover,
    headers: { "content-type": proto, "connect-protocol-version": "1", "connect-timeout-ms": "5000" },
    body: toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "pricing" })),
  },
  {
    case: "Discover with tenant headers (pro-only service, free caller)",
    path: discover,
    headers: { "content-type": jsonType, "x-subscription-tier": "free", "x-company-id": "acme" },
    body: json({ name: "premium" }),
  },
  {
    case: "Discover with tenant headers (pro caller)",
    path: discover,
    headers: { "content-type": jsonType, "x-subscription-tier": "pro" },
    body: json({ name: "premium" }),
  },
  {
    case: "a large answer, gzip accepted (compressed by both)",
    path: discover,
    headers: { "content-type": jsonType, "accept-encoding": "gzip" },
    body: json({ name: "big" }),
  },
  {
    case: "a large answer, binary (round robin moves the recommendation on every call)",
    path: discover,
    headers: { "content-type": proto },
    body: toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "big" })),
  },
  {
    case: "a large answer, JSON, pro caller",
    path: discover,
    headers: { "content-type": jsonType, "x-subscription-tier": "pro" },
    body: json({ name: "big" }),
  },
  {
    case: "a small answer, gzip accepted (not compressed)",
    path: discover,
    headers: { "content-type": proto, "accept-encoding": "gzip, br" },
    body: toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "pricing" })),
  },
  {
    case: "an unknown service (not_found)",
    path: discover,
    headers: { "content-type": jsonType },
    body: json({ name: "nope" }),
  },
  {
    case: "a bad service name (invalid_argument)",
    path: discover,
    headers: { "content-type": jsonType },
    body: json({ name: "Bad_Name" }),
  },
  {
    case: "malformed binary",
    path: discover,
    headers: { "content-type": proto },
    body: new Uint8Array([0x0a, 0x05, 0x61]),
  },
  {
    case: "malformed JSON",
    path: discover,
    headers: { "content-type": jsonType },
    body: new TextEncoder().encode('{"name":'),
  },
  {
    case: "an unknown JSON field",
    path: discover,
    headers: { "content-type": jsonType },
    body: json({ nom: "pricing" }),
  },
  {
    case: "a bad tier header",
    path: discover,
    headers: { "content-type": jsonType, "x-subscription-tier": "platinum" },
    body: json({ name: "pricing" }),
  },
  {
    case: "a malformed timeout header",
    path: discover,
    headers: { "content-type": proto, "connect-timeout-ms": "soon" },
    body: toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "pricing" })),
  },
  {
    case: "a gzip-compressed request (handed to connect-node by both)",
    path: discover,
    headers: { "content-type": jsonType, "content-encoding": "gzip" },
    body: gzipSync(json({ name: "pricing" })),
  },
  {
    case: "GetService, binary",
    path: getService,
    headers: { "content-type": proto },
    body: toBinary(GetServiceRequestSchema, create(GetServiceRequestSchema, { name: "pricing" })),
  },
  {
    case: "Heartbeat of a known instance",
    path: heartbeat,
    headers: { "content-type": jsonType },
    body: json({ name: "pricing", instanceId: "127.0.0.1-9001", load: 0.5 }),
  },
  {
    case: "Heartbeat of an unknown instance",
    path: heartbeat,
    headers: { "content-type": proto },
    body: toBinary(
      HeartbeatRequestSchema,
      create(HeartbeatRequestSchema, { name: "pricing", instanceId: "ghost" }),
    ),
  },
];

/** A gRPC Discover request body for a service. */
const discoverGrpc = (name: string) =>
  envelope(toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name })));
const discoverPricing = toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "pricing" }));
const grpcProto = { "content-type": "application/grpc+proto" };

/** gRPC calls that must get the same answer (headers, message, trailers) from both paths. */
const grpcCases: Array<{ case: string; path: string; headers: Record<string, string>; body: Uint8Array }> = [
  { case: "Discover", path: discover, headers: grpcProto, body: envelope(discoverPricing) },
  {
    case: "Discover as application/grpc, with a timeout",
    path: discover,
    headers: { "content-type": "application/grpc", "grpc-timeout": "5S" },
    body: envelope(discoverPricing),
  },
  {
    case: "Discover with tenant headers (pro caller)",
    path: discover,
    headers: { ...grpcProto, "x-subscription-tier": "pro" },
    body: discoverGrpc("premium"),
  },
  {
    case: "Discover with tenant headers (free caller: not_found)",
    path: discover,
    headers: { ...grpcProto, "x-subscription-tier": "free" },
    body: discoverGrpc("premium"),
  },
  {
    case: "a large answer, gzip accepted (compressed by both)",
    path: discover,
    headers: { ...grpcProto, "grpc-accept-encoding": "gzip" },
    body: discoverGrpc("big"),
  },
  {
    case: "a small answer, gzip accepted (named, not compressed)",
    path: discover,
    headers: { ...grpcProto, "grpc-accept-encoding": "identity, gzip" },
    body: envelope(discoverPricing),
  },
  {
    case: "an unknown service (not_found)",
    path: discover,
    headers: grpcProto,
    body: discoverGrpc("nope"),
  },
  {
    case: "a bad service name (invalid_argument)",
    path: discover,
    headers: grpcProto,
    body: discoverGrpc("Bad_Name"),
  },
  {
    case: "a malformed message",
    path: discover,
    headers: grpcProto,
    body: envelope(new Uint8Array([0x0a, 0x05, 0x61])),
  },
  { case: "no message", path: discover, headers: grpcProto, body: new Uint8Array(0) },
  {
    case: "two messages",
    path: discover,
    headers: grpcProto,
    body: Buffer.concat([envelope(discoverPricing), envelope(discoverPricing)]),
  },
  { case: "an incomplete prefix", path: discover, headers: grpcProto, body: new Uint8Array([0, 0, 0]) },
  {
    case: "a message shorter than its prefix says",
    path: discover,
    headers: grpcProto,
    body: envelope(discoverPricing, 0, discoverPricing.byteLength + 10),
  },
  {
    case: "a message larger than the limit",
    path: discover,
    headers: grpcProto,
    body: envelope(discoverPricing, 0, 0x7fffffff),
  },
  {
    case: "a compressed flag without grpc-encoding",
    path: discover,
    headers: grpcProto,
    body: envelope(discoverPricing, 1),
  },
  {
    case: "a malformed timeout",
    path: discover,
    headers: { ...grpcProto, "grpc-timeout": "soon" },
    body: envelope(discoverPricing),
  },
  {
    case: "a bad tier header",
    path: discover,
    headers: { ...grpcProto, "x-subscription-tier": "platinum" },
    body: envelope(discoverPricing),
  },
  {
    case: "GetService",
    path: getService,
    headers: grpcProto,
    body: envelope(toBinary(GetServiceRequestSchema, create(GetServiceRequestSchema, { name: "pricing" }))),
  },
  {
    case: "Heartbeat of a known instance",
    path: heartbeat,
    headers: grpcProto,
    body: envelope(
      toBinary(
        HeartbeatRequestSchema,
        create(HeartbeatRequestSchema, { name: "pricing", instanceId: "127.0.0.1-9001", load: 0.25 }),
      ),
    ),
  },
  {
    case: "Heartbeat of an unknown instance",
    path: heartbeat,
    headers: grpcProto,
    body: envelope(
      toBinary(
        HeartbeatRequestSchema,
        create(HeartbeatRequestSchema, { name: "pricing", instanceId: "ghost" }),
      ),
    ),
  },
  {
    case: "gRPC-JSON (handed to connect-node by both)",
    path: discover,
    headers: { "content-type": "application/grpc+json" },
    body: envelope(json({ name: "pricing" })),
  },
  {
    case: "a gzip-compressed request (handed to connect-node by both)",
    path: discover,
    headers: { ...grpcProto, "grpc-encoding": "gzip" },
    body: envelope(gzipSync(discoverPricing), 1),
  },
];

/** GET /services/discover/{name} requests the JSON fast path and the router must answer alike. */
const restCases: Array<{ case: string; path: string; headers?: Record<string, string> }> = [
  { case: "a service", path: "/services/discover/pricing" },
  { case: "a trailing slash", path: "/services/discover/pricing/" },
  { case: "a percent-encoded name", path: "/services/discover/pri%63ing" },
  { case: "a strategy and legacy mode", path: "/services/discover/big?strategy=weighted&legacy_mode=true" },
  { case: "round robin over 30 instances", path: "/services/discover/big" },
  { case: "a pro caller", path: "/services/discover/premium", headers: { "x-subscription-tier": "pro" } },
  {
    case: "a free caller (not_found)",
    path: "/services/discover/premium",
    headers: { "x-subscription-tier": "free" },
  },
  { case: "an unknown service", path: "/services/discover/nope" },
  { case: "a bad name", path: "/services/discover/Bad_Name" },
  { case: "a malformed escape", path: "/services/discover/%E0%A4%A" },
  { case: "a bad strategy", path: "/services/discover/pricing?strategy=fastest" },
  { case: "a bad flag", path: "/services/discover/pricing?legacy_mode=maybe" },
  {
    case: "a bad tier header",
    path: "/services/discover/pricing",
    headers: { "x-subscription-tier": "gold" },
  },
];

function get1(url: string, path: string, headers: Record<string, string>): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const req = http1Request(`${url}${path}`, { method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(observe(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the fast path for hot unary calls", () => {
  let fast: RunningHub;
  let stock: RunningHub;

  beforeAll(async () => {
    // One frozen clock for both, so timestamps in the answers (registered_at, lease expiry) agree.
    const clock = new FakeClock();
    fast = await startHub([], { clock });
    stock = await startHub([], { clock, fastPath: false });
    for (const hub of [fast, stock]) {
      const register = (body: object) =>
        fetch(`${hub.url}/services/register`, {
          method: "POST",
          headers: { "content-type": jsonType },
          body: JSON.stringify(body),
        });
      await register({ name: "pricing", host: "127.0.0.1", port: 9001, health_check: { disabled: true } });
      await register({
        name: "premium",
        host: "127.0.0.1",
        port: 9002,
        subscription_requirements: ["pro"],
        health_check: { disabled: true },
      });
      for (let port = 10_000; port < 10_030; port++) {
        await register({
          name: "big",
          host: `big-host-${port}.internal.example.com`,
          port,
          health_check: { disabled: true },
        });
      }
    }
  });
  afterAll(async () => {
    await fast.close();
    await stock.close();
  });

  it.each(cases)(
    "answers $case exactly as connect-node does, over HTTP/1.1 and HTTP/2",
    async ({ path, headers, body }) => {
      const withId = { ...headers, "x-correlation-id": "conformance-1" };
      const fromFast = await post1(fast.url, path, withId, body);
      const fromStock = await post1(stock.url, path, withId, body);
      expect(fromFast).toEqual(fromStock);
      const fromFast2 = await post2(fast.url, path, withId, body);
      const fromStock2 = await post2(stock.url, path, withId, body);
      expect(fromFast2).toEqual(fromStock2);
    },
  );

  it.each(grpcCases)("answers gRPC $case exactly as connect-node does", async ({ path, headers, body }) => {
    const withId = { ...headers, "x-correlation-id": "conformance-grpc" };
    const fromFast = await grpc2(fast.url, path, withId, body);
    const fromStock = await grpc2(stock.url, path, withId, body);
    expect(fromFast).toEqual(fromStock);
    expect(fromFast.status).toBe(200);
    expect(fromFast.trailers["grpc-status"]).toMatch(/^\d+$/);
  });

  it.each(restCases)(
    "answers GET /services/discover/{name} with $case exactly as the router does",
    async (c) => {
      const headers = { ...c.headers, "x-correlation-id": "conformance-rest" };
      const before = fast.hub.fastDiscover!.served;
      const fromFast = await get1(fast.url, c.path, headers);
      const fromStock = await get1(stock.url, c.path, headers);
      expect(fromFast).toEqual(fromStock);
      expect(fast.hub.fastDiscover!.served - before).toBe(1);
    },
  );

  it("serves the hot methods itself and hands everything else to connect-node", async () => {
    const path = fast.hub.fastPath!;
    const before = path.served;
    await post1(
      fast.url,
      discover,
      { "content-type": proto },
      toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name: "pricing" })),
    );
    await post2(
      fast.url,
      heartbeat,
      { "content-type": jsonType },
      json({ name: "pricing", instanceId: "127.0.0.1-9001" }),
    );
    expect(path.served - before).toBe(2);
    // Compressed requests, streams and other methods are connect-node's.
    await post1(
      fast.url,
      discover,
      { "content-type": jsonType, "content-encoding": "gzip" },
      gzipSync(json({ name: "pricing" })),
    );
    await post1(fast.url, "/hub.v1.RegistryService/ListServices", { "content-type": jsonType }, json({}));
    expect(path.served - before).toBe(2);
    expect(stock.hub.fastPath).toBeUndefined();
  });

  it("answers a gRPC body past the limit as connect-node words it, without reading it all", async () => {
    // Compared here with connect-node's wording rather than with a stock hub: connect-node keeps
    // such a request open until the hub's shutdown grace period (a follow-up of its own).
    const path = fast.hub.fastGrpc!;
    const before = path.served;
    const answer = await grpc2(fast.url, discover, grpcProto, envelope(new Uint8Array(100_000)));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("");
    expect(answer.trailers).toEqual({
      "grpc-status": "8",
      "grpc-message": encodeURIComponent("message size 100000 is larger than configured readMaxBytes 65536"),
    });
    expect(path.served - before).toBe(1);
  });

  it("serves hot gRPC calls itself and hands gRPC-JSON, compressed requests and other methods to connect-node", async () => {
    const path = fast.hub.fastGrpc!;
    const before = path.served;
    const ok = await grpc2(fast.url, discover, grpcProto, envelope(discoverPricing));
    expect(ok.trailers["grpc-status"]).toBe("0");
    expect(path.served - before).toBe(1);
    await grpc2(
      fast.url,
      discover,
      { "content-type": "application/grpc+json" },
      envelope(json({ name: "pricing" })),
    );
    await grpc2(
      fast.url,
      discover,
      { ...grpcProto, "grpc-encoding": "gzip" },
      envelope(gzipSync(discoverPricing), 1),
    );
    const list = await grpc2(
      fast.url,
      "/hub.v1.RegistryService/ListServices",
      grpcProto,
      envelope(new Uint8Array(0)),
    );
    expect(list.trailers["grpc-status"]).toBe("0");
    expect(path.served - before).toBe(1);
    expect(stock.hub.fastGrpc).toBeUndefined();
  });
});
