import { constants as http2Constants, type Http2ServerResponse } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  compressionNegotiate,
  createAsyncIterable,
  encodeEnvelope,
  envelopeCompress,
  pipe,
  transformDecompressEnvelope,
  transformParseEnvelope,
  transformSplitEnvelope,
} from "@connectrpc/connect/protocol";
import {
  contentTypeProto,
  grpcStatusOk,
  parseContentType,
  parseTimeout,
  setTrailerStatus,
} from "@connectrpc/connect/protocol-grpc";
import { toConnectError } from "../../errors/hub-error.js";
import { correlationIdOfCaller, requireCaller } from "../request-context.js";
import type { NodeResponse } from "../rest/json-io.js";
import { type FastPath, singleHeader } from "./fast-path.js";
import { answerBytes, type BufferedCall, createRouteTable, type FastUnaryRoute } from "./route-table.js";

// connect names these headers in Headers' case ("Grpc-Encoding"); Node's request headers are lower case.
const headerEncoding = "grpc-encoding";
const headerAcceptEncoding = "grpc-accept-encoding";
const headerTimeout = "grpc-timeout";

/** The 5-byte gRPC message prefix: a flags byte, then the length (big-endian uint32). */
const prefixBytes = 5;

/**
 * Serves gRPC unary calls of hot methods (HTTP/2, protobuf, uncompressed requests) straight
 * from node:http2, skipping connect-node's per-call AbortControllers (each aborted one builds a
 * DOMException with a stack trace) and async-iterable plumbing. Like the Connect fast path it
 * uses connect's own protocol functions (content type, timeout, envelope, compression
 * negotiation, trailer status), and whatever a request holds that the plain case does not (a
 * broken envelope, two messages, none) goes through connect's own envelope pipeline, so every
 * answer is byte for byte the stock handler's; the conformance test compares the two. gRPC-JSON,
 * compressed requests and HTTP/1.1 (gRPC-web) go to connect-node.
 */
export function createFastGrpcUnaryPath(routes: readonly FastUnaryRoute[], readMaxBytes: number): FastPath {
  const { options, entries } = createRouteTable(routes, readMaxBytes);
  // A request longer than one message at the limit is not read on: its first message's prefix
  // already decides the answer (too large), as in the stock handler.
  const bodyLimit = options.readMaxBytes + prefixBytes;

  const respond = async ({ req, res, entry, body, resolved }: BufferedCall) => {
    const correlationId = correlationIdOfCaller(resolved);
    const compression = compressionNegotiate(
      options.acceptCompression,
      singleHeader(req, headerEncoding),
      singleHeader(req, headerAcceptEncoding),
      headerAcceptEncoding,
    ).response;
    let envelope: Uint8Array | undefined;
    let failure: ConnectError | undefined;
    try {
      // The stock handler's order: timeout header, then the message, then the implementation.
      const timeout = parseTimeout(singleHeader(req, headerTimeout), options.maxTimeoutMs);
      if (timeout.error) throw timeout.error;
      const serializer = entry.serialization.getI(true);
      const input = await readSingleMessage(body, (data) => serializer.parse(data), options.readMaxBytes);
      const payload = await answerBytes(entry, input, requireCaller(resolved), true);
      const { flags, data } = await envelopeCompress(
        { flags: 0, data: payload },
        compression,
        options.compressMinBytes,
      );
      envelope = encodeEnvelope(flags, data);
    } catch (cause) {
      failure = toConnectError(cause);
    }
    const headers: Record<string, string> = {
      "x-correlation-id": correlationId,
      "content-type": contentTypeProto,
    };
    if (compression) headers[headerEncoding] = compression.name;
    const trailers = failure === undefined ? okTrailers : errorTrailers(failure);
    if (!req.complete) stopUnreadRequest(res);
    res.writeHead(200, headers);
    if (envelope) res.write(envelope);
    res.addTrailers(trailers);
    res.end();
  };

  let served = 0;
  return {
    get served() {
      return served;
    },
    accepts(req) {
      if (req.httpVersionMajor !== 2 || req.method !== "POST" || req.url === undefined) return false;
      if (!entries.has(req.url)) return false;
      if (parseContentType(singleHeader(req, "content-type"))?.binary !== true) return false;
      const encoding = singleHeader(req, headerEncoding);
      return encoding === null || encoding === "identity";
    },
    serve(req, res, caller, finished) {
      const entry = entries.get(req.url!)!;
      served++;
      const chunks: Buffer[] = [];
      let received = 0;
      let answered = false;
      const answer = () => {
        if (answered) return;
        answered = true;
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
        respond({ req, res, entry, body, resolved: caller }).then(finished, () => res.destroy());
      };
      req.on("data", (chunk: Buffer) => {
        if (answered) return;
        chunks.push(chunk);
        received += chunk.length;
        if (received > bodyLimit) answer();
      });
      req.on("end", answer);
    },
  };
}

const okTrailers: Readonly<Record<string, string>> = { "grpc-status": grpcStatusOk };

/** connect's trailers for an error (status, percent-encoded message, details), as a Node header object. */
function errorTrailers(error: ConnectError): Record<string, string> {
  const trailers: Record<string, string> = {};
  setTrailerStatus(new Headers(), error).forEach((value, name) => {
    trailers[name] = value;
  });
  return trailers;
}

/**
 * The one message of a unary request. A body of exactly one uncompressed message is read here;
 * anything else goes through connect's envelope pipeline and its unary check, so the error is
 * the stock handler's.
 */
async function readSingleMessage<T>(
  body: Uint8Array,
  parse: (data: Uint8Array) => T,
  readMaxBytes: number,
): Promise<T> {
  if (body.byteLength >= prefixBytes && body[0] === 0) {
    const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(1);
    if (length <= readMaxBytes && length === body.byteLength - prefixBytes)
      return parse(body.subarray(prefixBytes));
  }
  const messages = pipe(
    createAsyncIterable([body]),
    transformSplitEnvelope(readMaxBytes),
    transformDecompressEnvelope(null, readMaxBytes),
    transformParseEnvelope<T>({ parse, serialize: () => new Uint8Array(0) }),
  )[Symbol.asyncIterator]();
  const first = await messages.next();
  if (first.done === true) throw unaryProtocolError("missing input message");
  const second = await messages.next();
  if (second.done !== true) throw unaryProtocolError("received extra input message");
  return first.value;
}

/** connect's own wording and code for a unary call with no message or more than one. */
function unaryProtocolError(what: string): ConnectError {
  return new ConnectError(`protocol error: ${what} for unary method`, Code.Unimplemented);
}

/**
 * A client still sending the request (past the limit) is told to stop once the response is out
 * (RST_STREAM NO_ERROR after the trailers), as connect-node does; Node sends the trailers on
 * setImmediate, so a setImmediate queued here runs after it.
 */
function stopUnreadRequest(res: NodeResponse): void {
  const stream = (res as Http2ServerResponse).stream;
  stream.once("wantTrailers", () => {
    setImmediate(() => {
      if (stream.state.remoteClose === 0) stream.close(http2Constants.NGHTTP2_NO_ERROR);
    });
  });
}
