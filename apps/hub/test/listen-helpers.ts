import { once } from "node:events";
import * as http from "node:http";
import type * as http2 from "node:http2";
import * as net from "node:net";
import { Duplex } from "node:stream";
import type { NodeRequestHandler } from "../src/listen.js";

/** Answers with "<http version> <method> <path>", so tests can see which protocol served them. */
export const echoProtocol: NodeRequestHandler = (req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(`${req.httpVersion} ${req.method} ${req.url}`);
};

/** One GET over an HTTP/2 session; resolves with status and body. */
export function h2Get(
  session: http2.ClientHttp2Session,
  path = "/",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":path": path });
    let status = 0;
    let body = "";
    stream.setEncoding("utf8");
    stream.on("response", (headers) => {
      status = Number(headers[":status"]);
    });
    stream.on("data", (chunk: string) => {
      body += chunk;
    });
    stream.on("end", () => {
      if (status === 0) reject(new Error(`stream closed without a response (rst code ${stream.rstCode})`));
      else resolve({ status, body });
    });
    stream.on("error", reject);
    stream.end();
  });
}

/** One GET over HTTP/1.1 with `agent`; resolves with status, body and the socket used. */
export function h1Get(
  url: string,
  agent: http.Agent,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (res) => {
      // Read now: a keep-alive socket is detached from the response once it ends.
      const socket = res.socket;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, socket }));
    });
    request.on("error", reject);
  });
}

/** Opens a raw TCP connection to 127.0.0.1:`port`. */
export async function rawConnect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  return socket;
}

/** Collects everything the peer sends until it closes the connection. */
export async function readUntilClosed(socket: net.Socket): Promise<string> {
  let text = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    text += chunk;
  });
  socket.on("error", () => {});
  if (!socket.closed) await once(socket, "close");
  return text;
}

/**
 * A connection for `http2.connect({ createConnection })` whose first write reaches the server in
 * two TCP writes, `firstBytes` then the rest after `delayMs`: an h2c preface split in two.
 */
export function splitFirstWrite(port: number, firstBytes: number, delayMs: number): Duplex {
  const tcp = net.connect(port, "127.0.0.1");
  let first = true;
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (!first) {
        tcp.write(chunk, callback);
        return;
      }
      first = false;
      tcp.write(chunk.subarray(0, firstBytes));
      setTimeout(() => tcp.write(chunk.subarray(firstBytes), callback), delayMs);
    },
    read() {
      tcp.resume();
    },
    final(callback) {
      tcp.end(callback);
    },
    destroy(error, callback) {
      tcp.destroy();
      callback(error);
    },
  });
  tcp.on("data", (data: Buffer) => {
    if (!duplex.push(data)) tcp.pause();
  });
  tcp.on("end", () => duplex.push(null));
  tcp.on("error", (error) => duplex.destroy(error));
  return duplex;
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
