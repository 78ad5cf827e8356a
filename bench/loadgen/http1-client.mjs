import * as net from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");

/**
 * One keep-alive HTTP/1.1 connection with one request in flight. Requests are pre-encoded
 * bytes; responses are delimited by content-length (or chunked encoding) and otherwise
 * not parsed beyond the status code.
 */
export class Http1Connection {
  /**
   * @param {{ host: string, port: number }} target
   * @param {(status: number, text?: string) => void} onResponse called once per complete response
   *   (with the response's start as text when it is not 2xx, for error messages)
   * @param {(error: Error) => void} onError called when the connection fails (it is then dead)
   */
  constructor(target, onResponse, onError) {
    this.onResponse = onResponse;
    this.onError = onError;
    this.pending = null;
    this.dead = false;
    this.socket = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.socket.on("data", (chunk) => this.receive(chunk));
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => this.fail(new Error("connection closed by the server")));
  }

  /** @param {Buffer} request */
  send(request) {
    this.socket.write(request);
  }

  close() {
    this.dead = true;
    this.socket.destroy();
  }

  fail(error) {
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
    this.onError(error);
  }

  receive(chunk) {
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const used = parseResponse(buf);
      if (used < 0) {
        if (used === -2) return this.fail(new Error("unparseable HTTP response"));
        this.pending = buf;
        return;
      }
      const status = (buf[9] - 48) * 100 + (buf[10] - 48) * 10 + (buf[11] - 48);
      const text = status >= 200 && status < 300 ? undefined : buf.latin1Slice(0, Math.min(used, 400));
      buf = buf.subarray(used);
      this.pending = null;
      this.onResponse(status, text);
      if (buf.length === 0) return;
    }
  }
}

/** Length of the complete response at the start of `buf`; -1 when incomplete, -2 when invalid. */
function parseResponse(buf) {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return -1;
  const bodyStart = headerEnd + 4;
  const head = buf.latin1Slice(0, headerEnd).toLowerCase();
  if (!head.startsWith("http/1.")) return -2;
  const lengthAt = head.indexOf("\ncontent-length:");
  if (lengthAt >= 0) {
    const length = Number.parseInt(head.slice(lengthAt + 16, head.indexOf("\r", lengthAt + 16) >>> 0), 10);
    return buf.length >= bodyStart + length ? bodyStart + length : -1;
  }
  if (head.includes("\ntransfer-encoding: chunked")) return chunkedEnd(buf, bodyStart);
  const status = head.slice(9, 12);
  if (status === "204" || status === "304" || status[0] === "1") return bodyStart;
  return -2; // a body delimited by closing the connection cannot be kept alive
}

function chunkedEnd(buf, start) {
  let at = start;
  for (;;) {
    const lineEnd = buf.indexOf(CRLF, at);
    if (lineEnd < 0) return -1;
    const size = Number.parseInt(buf.latin1Slice(at, lineEnd), 16);
    if (Number.isNaN(size)) return -2;
    if (size === 0) {
      // No trailers from the servers measured here: the last chunk is followed by one CRLF.
      return buf.length >= lineEnd + 4 ? lineEnd + 4 : -1;
    }
    at = lineEnd + 2 + size + 2;
    if (at > buf.length) return -1;
  }
}
