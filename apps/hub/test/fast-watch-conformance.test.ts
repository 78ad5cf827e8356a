import { request as http1Request } from "node:http";
import { connect as http2Connect } from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { WatchServicesRequestSchema, WatchServicesResponseSchema } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../src/testing/fake-clock.js";
import { type RunningHub, startHub } from "./support/start-hub.js";

const watchPath = "/hub.v1.DiscoveryService/WatchServices";
const perConnection = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/** What a watcher can observe of a whole stream: status, headers, exact body bytes and trailers. */
interface ObservedStream {
  status: number;
  headers: Record<string, string>;
  body: string;
  trailers: Record<string, string>;
}

function clean(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name.startsWith(":") || perConnection.has(name)) continue;
    out[name] = String(value);
  }
  return out;
}

function envelope(message: Uint8Array, flags = 0): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(flags, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

const watchRequest = (init: Parameters<typeof create<typeof WatchServicesRequestSchema>>[1] = {}) =>
  envelope(toBinary(WatchServicesRequestSchema, create(WatchServicesRequestSchema, init)));

/**
 * Runs one watch to its end (the request sets a timeout). `onFirstData` runs once the first bytes
 * arrived, so a test can make a change the stream then carries.
 */
function watchOverHttp2(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
  onFirstData: () => Promise<void> = async () => {},
): Promise<ObservedStream> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": watchPath, ...headers });
    let status = 0;
    let responseHeaders: Record<string, string> = {};
    let trailers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      responseHeaders = clean(h);
    });
    stream.on("trailers", (t) => {
      trailers = clean(t);
    });
    stream.on("data", (chunk: Buffer) => {
      if (chunks.push(chunk) === 1) onFirstData().catch(reject);
    });
    stream.on("end", () => {
      session.close();
      resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString("base64"), trailers });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

function watchOverHttp1(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
  onFirstData: () => Promise<void> = async () => {},
): Promise<ObservedStream> {
  return new Promise((resolve, reject) => {
    const req = http1Request(`${url}${watchPath}`, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        if (chunks.push(chunk) === 1) onFirstData().catch(reject);
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: clean(res.headers),
          body: Buffer.concat(chunks).toString("base64"),
          trailers: {},
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

const grpcHeaders = { "content-type": "application/grpc", te: "trailers" };
const connectHeaders = { "content-type": "application/connect+proto" };

interface Case {
  readonly case: string;
  readonly http: 1 | 2;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  /** Registers an instance of this service once the stream has started. */
  readonly change?: { readonly name: string; readonly subscription_requirements?: string[] };
  /**
   * What the stream carries: "snapshot", "change", "error" (in trailers or end-of-stream);
   * ["changes"]: one or more changes and nothing else.
   */
  readonly carries: readonly string[];
  /** The first message is compressed (flag 1). */
  readonly compressed?: boolean;
}

const cases: Case[] = [
  {
    case: "gRPC: snapshot of one service, a new instance, then the deadline",
    carries: ["snapshot", "change"],
    http: 2,
    headers: { ...grpcHeaders, "grpc-timeout": "400m" },
    body: watchRequest({ names: ["pricing"] }),
    change: { name: "pricing" },
  },
  {
    case: "gRPC: every service, gzip accepted (the large snapshot is compressed)",
    carries: ["snapshot", "change"],
    compressed: true,
    http: 2,
    headers: { ...grpcHeaders, "grpc-timeout": "300m", "grpc-accept-encoding": "gzip" },
    body: watchRequest(),
    change: { name: "ledger" },
  },
  {
    case: "gRPC: a change to a service the watcher did not ask for is not sent",
    carries: ["snapshot"],
    http: 2,
    headers: { ...grpcHeaders, "grpc-timeout": "300m" },
    body: watchRequest({ names: ["pricing"] }),
    change: { name: "ledger" },
  },
  {
    case: "gRPC: a free-tier caller does not see the pro-only service",
    carries: ["snapshot"],
    http: 2,
    headers: { ...grpcHeaders, "grpc-timeout": "300m", "x-subscription-tier": "free" },
    body: watchRequest(),
    change: { name: "premium", subscription_requirements: ["pro"] },
  },
  {
    case: "Connect over HTTP/2",
    carries: ["snapshot", "change"],
    http: 2,
    headers: { ...connectHeaders, "connect-timeout-ms": "300" },
    body: watchRequest({ names: ["pricing", "premium"] }),
    change: { name: "premium" },
  },
  {
    case: "Connect over HTTP/1.1, brotli accepted",
    carries: ["snapshot", "change"],
    compressed: true,
    http: 1,
    headers: { ...connectHeaders, "connect-timeout-ms": "300", "connect-accept-encoding": "br" },
    body: watchRequest(),
    change: { name: "pricing" },
  },
  {
    case: "gRPC: resuming from a revision sends what was missed",
    carries: ["changes"],
    http: 2,
    headers: { ...grpcHeaders, "grpc-timeout": "200m" },
    body: watchRequest({ fromRevision: 2n }),
  },
  {
    case: "gRPC: a bad service name (invalid_argument in the trailers)",
    carries: ["error"],
    http: 2,
    headers: grpcHeaders,
    body: watchRequest({ names: ["Bad_Name"] }),
  },
  {
    case: "gRPC: a malformed timeout",
    carries: ["error"],
    http: 2,
    headers: { ...grpcHeaders, "grpc-timeout": "soon" },
    body: watchRequest(),
  },
  {
    case: "Connect: a bad service name (error in the end-of-stream message)",
    carries: ["error"],
    http: 1,
    headers: connectHeaders,
    body: watchRequest({ names: ["Bad_Name"] }),
  },
  {
    case: "Connect: a malformed message",
    carries: ["error"],
    http: 1,
    headers: connectHeaders,
    body: envelope(new Uint8Array([0x0a, 0x05, 0x61])),
  },
  {
    case: "Connect: a bad tier header",
    carries: ["error"],
    http: 2,
    headers: { ...connectHeaders, "x-subscription-tier": "platinum" },
    body: watchRequest(),
  },
];

describe("the fast path for WatchServices", () => {
  let fast: RunningHub;
  let stock: RunningHub;
  let port = 20_000;

  const register = (hub: RunningHub, body: object) =>
    fetch(`${hub.url}/services/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ host: "127.0.0.1", health_check: { disabled: true }, ...body }),
    }).then((res) => expect(res.status).toBeLessThan(300));

  beforeAll(async () => {
    // One frozen clock for both, so timestamps in the answers agree.
    const clock = new FakeClock();
    fast = await startHub([], { clock });
    stock = await startHub([], { clock, fastPath: false });
    for (const hub of [fast, stock]) {
      await register(hub, { name: "pricing", port: 9001 });
      await register(hub, { name: "premium", port: 9002, subscription_requirements: ["pro"] });
      for (let p = 10_000; p < 10_020; p++) {
        await register(hub, { name: "ledger", host: `ledger-${p}.internal.example.com`, port: p });
      }
    }
  });
  afterAll(async () => {
    await fast.close();
    await stock.close();
  });

  it.each(cases)("streams $case exactly as connect-node does", async (c) => {
    const headers = { ...c.headers, "x-correlation-id": "watch-conformance-1" };
    const watch = c.http === 2 ? watchOverHttp2 : watchOverHttp1;
    const change = c.change;
    const servedBefore = fast.hub.fastWatch!.served;
    // The same change on both hubs, so revisions and bytes line up.
    port++;
    const fromFast = await watch(fast.url, headers, c.body, async () => {
      if (change) await register(fast, { ...change, port });
    });
    const fromStock = await watch(stock.url, headers, c.body, async () => {
      if (change) await register(stock, { ...change, port });
    });
    expect(fromFast).toEqual(fromStock);
    expect(fromFast.status).toBe(200);
    // What the stream carried, so equal answers are also the right ones.
    const body = Buffer.from(fromFast.body, "base64");
    const kinds: string[] = [];
    for (let offset = 0; offset < body.length; offset += 5 + body.readUInt32BE(offset + 1)) {
      const flags = body.readUInt8(offset);
      if (flags & 2) {
        if (
          body
            .subarray(offset + 5)
            .toString()
            .includes('"error"')
        )
          kinds.push("error");
      } else if (flags & 1) {
        kinds.push(kinds.length === 0 ? "snapshot" : "change"); // compressed: only the large snapshot
      } else {
        const data = body.subarray(offset + 5, offset + 5 + body.readUInt32BE(offset + 1));
        kinds.push(fromBinary(WatchServicesResponseSchema, data).event.case ?? "none");
      }
    }
    if (fromFast.trailers["grpc-status"] !== undefined && fromFast.trailers["grpc-status"] !== "0") {
      kinds.push("error");
    }
    if (c.carries[0] === "changes") {
      expect(kinds.length).toBeGreaterThan(0);
      expect(new Set(kinds)).toEqual(new Set(["change"]));
    } else {
      expect(kinds).toEqual(c.carries);
    }
    expect(body.length > 0 && (body.readUInt8(0) & 1) === 1).toBe(c.compressed ?? false);
    expect(fast.hub.fastWatch!.served - servedBefore).toBe(1);
  });

  it("sends the change to watchers that opened before it, and the snapshot to one that opens after", async () => {
    // The deadline ends each stream; it leaves a loaded machine time to deliver the change.
    const open = (names: string[], onSnapshot?: () => void) =>
      watchOverHttp2(fast.url, { ...grpcHeaders, "grpc-timeout": "2S" }, watchRequest({ names }), async () =>
        onSnapshot?.(),
      );
    const snapshots: Promise<void>[] = [];
    const early = Array.from({ length: 10 }, () => {
      let onSnapshot!: () => void;
      snapshots.push(new Promise<void>((resolve) => (onSnapshot = resolve)));
      return open(["fanout"], onSnapshot);
    });
    await Promise.all(snapshots);
    await register(fast, { name: "fanout", port: 30_001 });
    const late = open(["fanout"]);
    const messagesOf = (stream: ObservedStream) => decodeMessages(Buffer.from(stream.body, "base64"));
    for (const stream of await Promise.all(early)) {
      const messages = messagesOf(stream);
      expect(messages.map((m) => m.event.case)).toEqual(["snapshot", "change"]);
      expect(messages[1]!.event.value).toMatchObject({ name: "fanout", instanceId: "127.0.0.1-30001" });
    }
    const [snapshot] = messagesOf(await late);
    expect(snapshot!.event.case).toBe("snapshot");
  });
});

function decodeMessages(bytes: Buffer) {
  const messages = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = bytes.readUInt32BE(offset + 1);
    messages.push(fromBinary(WatchServicesResponseSchema, bytes.subarray(offset + 5, offset + 5 + length)));
    offset += 5 + length;
  }
  return messages;
}
