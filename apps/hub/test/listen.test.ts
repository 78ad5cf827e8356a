import { once } from "node:events";
import * as http from "node:http";
import * as http2 from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import { HubError } from "../src/errors/hub-error.js";
import { type Listener, type ListenTimeouts, listen, type NodeRequestHandler } from "../src/listen.js";
import {
  delay,
  echoProtocol,
  h1Get,
  h2Get,
  rawConnect,
  readUntilClosed,
  splitFirstWrite,
} from "./listen-helpers.js";

const H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Clients first, then listeners: a listener's close() waits for its connections.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  handler: NodeRequestHandler = echoProtocol,
  timeouts?: ListenTimeouts,
): Promise<Listener> {
  const listener = await listen(handler, { host: "127.0.0.1", port: 0, ...(timeouts && { timeouts }) });
  cleanups.push(() => listener.close());
  return listener;
}

function h2Connect(url: string, options?: http2.ClientSessionOptions): http2.ClientHttp2Session {
  const session = http2.connect(url, options);
  session.on("error", () => {});
  cleanups.push(() => session.destroy());
  return session;
}

function keepAliveAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  return agent;
}

describe("listen (cleartext)", () => {
  it("reports the bound port and a URL", async () => {
    const listener = await start();
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}`);
    expect(listener.server.address()).toMatchObject({ address: "127.0.0.1", port: listener.port });
  });

  it("serves HTTP/1.1", async () => {
    const listener = await start();
    const response = await fetch(`${listener.url}/one`);
    expect(await response.text()).toBe("1.1 GET /one");
  });

  it("serves HTTP/2 with prior knowledge (h2c) on the same port", async () => {
    const listener = await start();
    const session = h2Connect(listener.url);
    expect(await h2Get(session, "/two")).toEqual({ status: 200, body: "2.0 GET /two" });
  });

  it("serves both protocols concurrently", async () => {
    const listener = await start();
    const session = h2Connect(listener.url);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => h2Get(session, `/h2/${i}`).then((r) => r.body)),
      ...Array.from({ length: 10 }, (_, i) => fetch(`${listener.url}/h1/${i}`).then((r) => r.text())),
    ]);
    expect(results.filter((body) => body.startsWith("2.0 GET /h2/"))).toHaveLength(10);
    expect(results.filter((body) => body.startsWith("1.1 GET /h1/"))).toHaveLength(10);
  });

  it("waits for the rest of a preface split across TCP writes", async () => {
    const listener = await start();
    const session = h2Connect(listener.url, {
      createConnection: () => splitFirstWrite(listener.port, 7, 100),
    });
    expect(await h2Get(session, "/split")).toEqual({ status: 200, body: "2.0 GET /split" });
  });

  it('hands a request that starts like the preface ("P" then "OST") to HTTP/1', async () => {
    const listener = await start();
    const socket = await rawConnect(listener.port);
    const reply = readUntilClosed(socket);
    socket.write("P");
    await delay(50);
    socket.write("OST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain("1.1 POST /p");
  });

  it("keeps serving others while a client sends 3 bytes and stalls, then drops the staller", async () => {
    const listener = await start(echoProtocol, { handshakeMs: 300 });
    const staller = await rawConnect(listener.port);
    const dropped = readUntilClosed(staller);
    staller.write(H2_PREFACE.slice(0, 3));

    const session = h2Connect(listener.url);
    expect((await h2Get(session)).body).toBe("2.0 GET /");
    expect(await (await fetch(listener.url)).text()).toBe("1.1 GET /");
    expect(staller.closed).toBe(false);

    expect(await dropped).toBe("");
  });

  it("drops a connection that sends nothing within handshakeMs", async () => {
    const listener = await start(echoProtocol, { handshakeMs: 200 });
    const silent = await rawConnect(listener.port);
    const started = Date.now();
    await readUntilClosed(silent);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("answers 408 to an HTTP/1 client that does not finish its headers within headersMs", async () => {
    const listener = await start(echoProtocol, { headersMs: 300, requestMs: 1000 });
    const socket = await rawConnect(listener.port);
    const reply = readUntilClosed(socket);
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n");
    expect(await reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes an idle keep-alive HTTP/1 connection after keepAliveMs", async () => {
    const listener = await start(echoProtocol, { keepAliveMs: 200 });
    const { socket } = await h1Get(listener.url, keepAliveAgent());
    await once(socket, "close");
  });

  it("closes an HTTP/2 session without streams after idleSessionMs", async () => {
    const listener = await start(echoProtocol, { idleSessionMs: 200 });
    const session = h2Connect(listener.url);
    await h2Get(session);
    await once(session, "close");
  });

  it("rejects with UNAVAILABLE when the port is taken", async () => {
    const first = await start();
    const attempt = listen(echoProtocol, { host: "127.0.0.1", port: first.port });
    await expect(attempt).rejects.toBeInstanceOf(HubError);
    await expect(attempt).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});

describe("listen close()", () => {
  it("resolves promptly with idle keep-alive HTTP/1 connections and HTTP/2 sessions open", async () => {
    const listener = await listen(echoProtocol, {
      host: "127.0.0.1",
      port: 0,
      timeouts: { closeGraceMs: 10_000 },
    });
    const agent = keepAliveAgent();
    const { socket } = await h1Get(listener.url, agent);
    const session = h2Connect(listener.url);
    await h2Get(session);
    await fetch(listener.url); // undici keeps its own pooled connection open too
    expect(socket.destroyed).toBe(false);

    const sessionClosed = once(session, "close");
    const started = Date.now();
    await listener.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await sessionClosed;
    expect(socket.destroyed).toBe(true);
  });

  it("lets running requests finish on both protocols before resolving", async () => {
    let entered = 0;
    const slow: NodeRequestHandler = (req, res) => {
      entered++;
      setTimeout(() => echoProtocol(req, res), 200);
    };
    const listener = await listen(slow, { host: "127.0.0.1", port: 0 });
    const session = h2Connect(listener.url);
    const h1 = h1Get(listener.url, keepAliveAgent());
    const h2 = h2Get(session, "/slow");
    while (entered < 2) await delay(5);

    const closed = listener.close();
    await expect(h1).resolves.toMatchObject({ status: 200, body: "1.1 GET /" });
    await expect(h2).resolves.toEqual({ status: 200, body: "2.0 GET /slow" });
    await closed;
  });

  it("refuses new connections once closing", async () => {
    const listener = await start((req, res) => setTimeout(() => echoProtocol(req, res), 200));
    const running = fetch(listener.url);
    await delay(50);
    const closed = listener.close();
    await expect(fetch(listener.url)).rejects.toThrow();
    await running;
    await closed;
  });

  it("destroys what is still running after closeGraceMs", async () => {
    const hang: NodeRequestHandler = () => {};
    const listener = await listen(hang, { host: "127.0.0.1", port: 0, timeouts: { closeGraceMs: 300 } });
    const session = h2Connect(listener.url);
    const h1 = h1Get(listener.url, keepAliveAgent());
    const h2 = h2Get(session);
    await delay(50);

    const started = Date.now();
    await listener.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(h1).rejects.toThrow();
    await expect(h2).rejects.toThrow();
  });

  it("destroys connections still identifying their protocol", async () => {
    const listener = await listen(echoProtocol, {
      host: "127.0.0.1",
      port: 0,
      timeouts: { handshakeMs: 10_000 },
    });
    const staller = await rawConnect(listener.port);
    staller.write("PRI");
    await delay(20);
    const started = Date.now();
    await listener.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await readUntilClosed(staller);
  });

  it("can be called more than once", async () => {
    const listener = await listen(echoProtocol, { host: "127.0.0.1", port: 0 });
    await Promise.all([listener.close(), listener.close()]);
    await listener.close();
    expect(listener.server.listening).toBe(false);
  });
});
