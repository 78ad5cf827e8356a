import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as http2 from "node:http2";
import * as https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Listener, listen } from "../src/listen.js";
import { echoProtocol, h2Get } from "./listen-helpers.js";

let dir: string;
let cert: Buffer;
let key: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hub-tls-"));
  execFileSync(
    "/usr/bin/openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  cert = readFileSync(join(dir, "cert.pem"));
  key = readFileSync(join(dir, "key.pem"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(): Promise<Listener> {
  const listener = await listen(echoProtocol, { host: "127.0.0.1", port: 0, tls: { cert, key } });
  cleanups.push(() => listener.close());
  return listener;
}

function h2Connect(url: string): http2.ClientHttp2Session {
  // The certificate names localhost; the listener is reached by IP.
  const session = http2.connect(url, { ca: cert, servername: "localhost" });
  session.on("error", () => {});
  cleanups.push(() => session.destroy());
  return session;
}

/** GET over HTTP/1.1 + TLS, offering `alpn` (none: no ALPN extension at all). */
function httpsGet(
  listener: Listener,
  agent: https.Agent,
  alpn?: string[],
): Promise<{ body: string; version: string; alpn: string | false | null; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: "127.0.0.1",
      port: listener.port,
      path: "/tls",
      ca: cert,
      servername: "localhost",
      agent,
      ...(alpn && { ALPNProtocols: alpn }),
    };
    https
      .get(options, (res) => {
        const socket = res.socket as TLSSocket;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ body, version: res.httpVersion, alpn: socket.alpnProtocol, socket }));
      })
      .on("error", reject);
  });
}

function keepAliveAgent(): https.Agent {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  return agent;
}

describe("listen (TLS)", () => {
  it("reports an https URL", async () => {
    const listener = await start();
    expect(listener.url).toBe(`https://127.0.0.1:${listener.port}`);
  });

  it("serves HTTP/2 negotiated with ALPN h2", async () => {
    const listener = await start();
    const session = h2Connect(listener.url);
    expect(await h2Get(session, "/tls")).toEqual({ status: 200, body: "2.0 GET /tls" });
    expect(session.alpnProtocol).toBe("h2");
  });

  it("serves HTTP/1.1 negotiated with ALPN http/1.1", async () => {
    const listener = await start();
    const result = await httpsGet(listener, keepAliveAgent(), ["http/1.1"]);
    expect(result).toMatchObject({ body: "1.1 GET /tls", version: "1.1", alpn: "http/1.1" });
  });

  it("serves HTTP/1.1 to a client that offers no ALPN", async () => {
    const listener = await start();
    const result = await httpsGet(listener, keepAliveAgent());
    expect(result).toMatchObject({ body: "1.1 GET /tls", alpn: false });
  });

  it("serves both protocols at once", async () => {
    const listener = await start();
    const session = h2Connect(listener.url);
    const agent = keepAliveAgent();
    const [h2, h1] = await Promise.all([h2Get(session, "/tls"), httpsGet(listener, agent, ["http/1.1"])]);
    expect([h2.body, h1.body]).toEqual(["2.0 GET /tls", "1.1 GET /tls"]);
  });

  it("close() resolves promptly with idle keep-alive connections of both kinds open", async () => {
    const listener = await listen(echoProtocol, {
      host: "127.0.0.1",
      port: 0,
      tls: { cert, key },
      timeouts: { closeGraceMs: 10_000 },
    });
    const { socket } = await httpsGet(listener, keepAliveAgent(), ["http/1.1"]);
    const session = h2Connect(listener.url);
    await h2Get(session);

    const sessionClosed = once(session, "close");
    const started = Date.now();
    await listener.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await sessionClosed;
    expect(socket.destroyed).toBe(true);
  });
});
