import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import type { connectNodeAdapter } from "@connectrpc/connect-node";
import { HubError } from "./errors/hub-error.js";

/** A request listener for both HTTP/1.1 and HTTP/2, e.g. what `connectNodeAdapter` returns. */
export type NodeRequestHandler = ReturnType<typeof connectNodeAdapter>;

/** Server timeouts; each bounds what one slow or idle client can hold. */
export interface ListenTimeouts {
  /** HTTP/1: the request line and headers must arrive within this; at most `requestMs`. Default: 10 000 ms. */
  readonly headersMs?: number;
  /** HTTP/1: the whole request (headers and body, not the response) must arrive within this. Default: 30 000 ms. */
  readonly requestMs?: number;
  /** HTTP/1: an idle keep-alive connection is closed after this. Default: 5 000 ms. */
  readonly keepAliveMs?: number;
  /** A new connection must identify its protocol (cleartext) or finish TLS within this. Default: 10 000 ms. */
  readonly handshakeMs?: number;
  /** HTTP/2: a session with no open stream and no traffic is closed after this. Default: 120 000 ms. */
  readonly idleSessionMs?: number;
  /** `close()` waits this long for requests and streams to finish, then destroys what is left. Default: 10 000 ms. */
  readonly closeGraceMs?: number;
}

/** Where and how to listen. */
export interface ListenOptions {
  /** Interface to bind, e.g. "127.0.0.1", "::", "0.0.0.0". */
  readonly host: string;
  /** TCP port; 0 picks a free one (read it from the result). */
  readonly port: number;
  /** PEM certificate chain and key. Absent: cleartext HTTP/1.1 and h2c on the same port. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly timeouts?: ListenTimeouts;
}

/** A listening hub endpoint. */
export interface Listener {
  /** The socket server that owns the port (a `net.Server`, or an `http2.Http2SecureServer` with TLS). */
  readonly server: net.Server;
  /** The bound port (the OS's pick when 0 was asked for). */
  readonly port: number;
  /** Base URL for clients, e.g. "http://127.0.0.1:7000"; a wildcard host becomes loopback. */
  readonly url: string;
  /**
   * Stops accepting, closes idle connections and HTTP/2 sessions gracefully (GOAWAY), lets running
   * requests finish, and resolves once every connection is gone; what is left after
   * `closeGraceMs` is destroyed. Safe to call more than once.
   */
  close(): Promise<void>;
}

const defaultTimeouts: Required<ListenTimeouts> = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  handshakeMs: 10_000,
  idleSessionMs: 120_000,
  closeGraceMs: 10_000,
};

/** Caps streams per HTTP/2 session; nghttp2's default is unlimited. */
const MAX_CONCURRENT_STREAMS = 1000;

/** RFC 9113 §3.4: an h2c client with prior knowledge starts with exactly these 24 bytes. */
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * Serves `handler` on one port. Cleartext: each connection's first bytes are inspected, and the
 * HTTP/2 preface routes it to an HTTP/2 server (h2c with prior knowledge, as gRPC and Connect
 * clients use), anything else to an HTTP/1.1 server. TLS: ALPN chooses h2 or http/1.1.
 *
 * @throws HubError UNAVAILABLE when the address cannot be bound (in use, not permitted).
 * @example
 *   const listener = await listen(connectNodeAdapter({ routes }), { host: "127.0.0.1", port: 7000 });
 *   process.once("SIGTERM", () => void listener.close());
 */
export async function listen(handler: NodeRequestHandler, options: ListenOptions): Promise<Listener> {
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  const state: ShutdownState = { closing: false };
  const serve: NodeRequestHandler = (req, res) => {
    // Keep-alive connections that bring a request during shutdown are closed after its response.
    if (state.closing && req.httpVersionMajor === 1) res.setHeader("connection", "close");
    handler(req, res);
  };
  const endpoint =
    options.tls === undefined ? cleartext(serve, timeouts, state) : secure(serve, options.tls, timeouts);

  const sockets = new Set<net.Socket>();
  endpoint.server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const sessions = trackSessions(endpoint.http2, timeouts.idleSessionMs);

  try {
    await bind(endpoint.server, options.host, options.port);
  } catch (error) {
    endpoint.dispose();
    throw error;
  }
  const port = (endpoint.server.address() as net.AddressInfo).port;
  const url = `${options.tls === undefined ? "http" : "https"}://${urlHost(options.host)}:${port}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= shutdown(endpoint, state, sockets, sessions, timeouts.closeGraceMs);
    return closed;
  };
  return { server: endpoint.server, port, url, close };
}

interface ShutdownState {
  closing: boolean;
}

interface Endpoint {
  /** Owns the port. */
  readonly server: net.Server;
  /** Emits 'session' for every HTTP/2 connection. */
  readonly http2: net.Server;
  /** Closes idle HTTP/1 keep-alive connections. */
  closeIdleHttp1(): void;
  /** Destroys connections that have not sent a request yet (still identifying their protocol). */
  abortPending(): void;
  /** Releases what the endpoint holds besides connections (timers). */
  dispose(): void;
}

function cleartext(serve: NodeRequestHandler, t: Required<ListenTimeouts>, state: ShutdownState): Endpoint {
  const h1 = http.createServer(
    {
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      keepAliveTimeout: t.keepAliveMs,
      connectionsCheckingInterval: checkingInterval(t),
    },
    serve,
  );
  // h1 never listens (connections are handed to it), but Node only starts enforcing headersTimeout
  // and requestTimeout, and tracking idle connections for closeIdleConnections(), on 'listening'.
  h1.emit("listening");
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } }, serve);
  const sniffing = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sniffing.add(socket);
    socket.once("close", () => sniffing.delete(socket));
    sniffProtocol(socket, t.handshakeMs, (protocol) => {
      sniffing.delete(socket);
      if (state.closing) {
        socket.destroy();
      } else if (protocol === "h2") {
        // The session reads the unshifted preface from the socket's buffer (nodejs/node#35475).
        h2.emit("connection", socket);
      } else {
        h1.emit("connection", socket);
        // Paused while sniffing; h1 reads the unshifted bytes through 'data' once resumed.
        socket.resume();
      }
    });
  });
  return {
    server,
    http2: h2,
    closeIdleHttp1: () => h1.closeIdleConnections(),
    abortPending: () => {
      for (const socket of sniffing) socket.destroy();
    },
    // Not listening, so close() only clears h1's connection-checking interval.
    dispose: () => h1.close(),
  };
}

function secure(
  serve: NodeRequestHandler,
  tls: NonNullable<ListenOptions["tls"]>,
  t: Required<ListenTimeouts>,
): Endpoint {
  const server = http2.createSecureServer(
    {
      cert: tls.cert,
      key: tls.key,
      allowHTTP1: true, // also advertises ALPN "http/1.1" next to "h2"
      handshakeTimeout: t.handshakeMs,
      settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS },
    },
    serve,
  );
  // The HTTP/1 fallback reads these from the server like http.Server does, but the http2 types
  // do not declare them, and keepAliveTimeout is unset (never time out) by default.
  Object.assign(server, {
    headersTimeout: t.headersMs,
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionsCheckingInterval: checkingInterval(t),
  });
  // Node gives allowHTTP1 servers closeIdleConnections(), but @types/node does not declare it.
  const http1Side = server as typeof server & { closeIdleConnections?: () => void };
  return {
    server,
    http2: server,
    closeIdleHttp1: () => http1Side.closeIdleConnections?.(),
    // A TLS handshake in progress is bounded by handshakeMs, then by closeGraceMs.
    abortPending: () => {},
    dispose: () => {},
  };
}

/** How often Node looks for HTTP/1 requests over their deadlines (its default, 30 s, is too coarse). */
function checkingInterval(t: Required<ListenTimeouts>): number {
  return Math.min(1000, t.headersMs);
}

/**
 * Calls `done` once the first bytes tell HTTP/2 from HTTP/1, with those bytes pushed back onto
 * the (paused) socket. Bytes that are a strict prefix of the preface are not enough: a client may
 * split its first write, so wait for more, but destroy the socket after `timeoutMs`.
 */
function sniffProtocol(
  socket: net.Socket,
  timeoutMs: number,
  done: (protocol: "h2" | "http1") => void,
): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  const stop = () => {
    clearTimeout(timer);
    socket.off("data", onData);
    socket.off("end", onEnd);
    socket.off("error", onEnd);
    socket.off("close", stop);
  };
  // Closed or failed before saying anything useful. After hand-off, h1 or h2 handle errors.
  const onEnd = () => socket.destroy();
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, H2_PREFACE.length);
    const isPreface = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (isPreface && seen.length < H2_PREFACE.length) return;
    stop();
    socket.pause();
    socket.unshift(seen);
    done(isPreface ? "h2" : "http1");
  };
  socket.on("data", onData);
  socket.on("end", onEnd);
  socket.on("error", onEnd);
  socket.on("close", stop);
}

/** Tracks live HTTP/2 sessions and closes those idle (no open stream) for `idleMs`. */
function trackSessions(server: net.Server, idleMs: number): Set<http2.ServerHttp2Session> {
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    let openStreams = 0;
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      openStreams++;
      stream.once("close", () => openStreams--);
    });
    // Fires after idleMs without frames; a quiet but open stream (a watch) keeps its session.
    session.setTimeout(idleMs, () => {
      if (openStreams === 0) session.close();
    });
  });
  return sessions;
}

async function shutdown(
  endpoint: Endpoint,
  state: ShutdownState,
  sockets: Set<net.Socket>,
  sessions: Set<http2.ServerHttp2Session>,
  graceMs: number,
): Promise<void> {
  state.closing = true;
  const drained = new Promise<void>((resolve) => endpoint.server.close(() => resolve()));
  for (const session of sessions) session.close();
  endpoint.abortPending();
  endpoint.closeIdleHttp1();
  // Requests running at close() leave keep-alive connections idle when they finish: sweep again.
  const sweep = setInterval(() => endpoint.closeIdleHttp1(), 50);
  const deadline = setTimeout(() => {
    for (const session of sessions) session.destroy();
    for (const socket of sockets) socket.destroy();
  }, graceMs);
  try {
    await drained;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
    endpoint.dispose();
  }
}

function bind(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new HubError("UNAVAILABLE", `cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
          cause: error,
        }),
      );
    };
    server.once("error", onError);
    server.listen({ host, port }, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return net.isIPv6(host) ? `[${host}]` : host;
}
