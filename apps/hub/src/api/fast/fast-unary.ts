import { compressionNegotiate } from "@connectrpc/connect/protocol";
import {
  codeToHttpStatus,
  contentTypeUnaryJson,
  contentTypeUnaryProto,
  errorToJsonBytes,
  parseContentType,
  parseTimeout,
} from "@connectrpc/connect/protocol-connect";
import { toConnectError } from "../../errors/hub-error.js";
import { correlationIdOfCaller, requireCaller } from "../request-context.js";
import type { NodeResponse } from "../rest/json-io.js";
import { type FastPath, singleHeader } from "./fast-path.js";
import { answerBytes, type BufferedCall, createRouteTable, type FastUnaryRoute } from "./route-table.js";

/**
 * Serves Connect-protocol unary POSTs of hot methods straight from node:http, skipping
 * connect-node's per-request AbortControllers and async-iterable plumbing. It uses connect's own
 * protocol functions (content types, timeouts, serialization, error JSON, status mapping,
 * compression negotiation) so its answers are byte-identical to the stock handler's — the
 * conformance test compares the two, errors included. It accepts a Connect unary POST of a hot
 * method, uncompressed, with a known length within the limit; everything else (other protocols,
 * GET, compression, streams, chunked bodies) goes to connect-node.
 */
export function createFastUnaryPath(routes: readonly FastUnaryRoute[], readMaxBytes: number): FastPath {
  const { options, entries } = createRouteTable(routes, readMaxBytes);

  const write = (
    res: NodeResponse,
    correlationId: string,
    status: number,
    contentType: string,
    body: Uint8Array,
    encoding?: string,
  ) => {
    // One writeHead with every header: merging setHeader() ones costs Node a second pass.
    const headers: Record<string, string> = {
      "x-correlation-id": correlationId,
      "content-type": contentType,
    };
    if (encoding !== undefined) headers["content-encoding"] = encoding;
    headers["content-length"] = body.byteLength.toString(10);
    res.writeHead(status, headers);
    res.end(body);
  };

  const respond = async ({ req, res, entry, body, resolved }: BufferedCall) => {
    const correlationId = correlationIdOfCaller(resolved);
    const binary = parseContentType(singleHeader(req, "content-type"))?.binary ?? true;
    let status = 200;
    let contentType = binary ? contentTypeUnaryProto : contentTypeUnaryJson;
    let payload: Uint8Array;
    try {
      // The stock handler's order: timeout header, then the message, then the implementation.
      const timeout = parseTimeout(singleHeader(req, "connect-timeout-ms"), options.maxTimeoutMs);
      if (timeout.error) throw timeout.error;
      const input = entry.serialization.getI(binary).parse(body);
      payload = await answerBytes(entry, input, requireCaller(resolved), binary);
    } catch (cause) {
      const error = toConnectError(cause);
      status = codeToHttpStatus(error.code);
      contentType = contentTypeUnaryJson;
      payload = errorToJsonBytes(error, options.jsonOptions);
    }
    // Compression only pays above compressMinBytes, as in the stock handler; negotiate only then.
    const accepted =
      payload.byteLength >= options.compressMinBytes ? singleHeader(req, "accept-encoding") : null;
    const compression = accepted
      ? compressionNegotiate(options.acceptCompression, null, accepted, "accept-encoding").response
      : null;
    if (compression) {
      write(res, correlationId, status, contentType, await compression.compress(payload), compression.name);
    } else {
      write(res, correlationId, status, contentType, payload);
    }
  };

  let served = 0;
  return {
    get served() {
      return served;
    },
    accepts(req) {
      if (req.method !== "POST" || req.url === undefined || !entries.has(req.url)) return false;
      const type = parseContentType(singleHeader(req, "content-type"));
      if (!type || type.stream) return false;
      const encoding = singleHeader(req, "content-encoding");
      if (encoding !== null && encoding !== "identity") return false;
      const length = singleHeader(req, "content-length");
      return length !== null && /^\d{1,9}$/.test(length) && Number(length) <= options.readMaxBytes;
    },
    serve(req, res, caller, finished) {
      const entry = entries.get(req.url!)!;
      served++;
      const length = Number(singleHeader(req, "content-length"));
      // Small bodies arrive in one chunk: keep it instead of copying into a fresh buffer.
      let single: Buffer | undefined;
      let joined: Uint8Array | undefined;
      let received = 0;
      req.on("data", (chunk: Buffer) => {
        // Node's parser enforces content-length; the bound check guards a misbehaving peer anyway.
        if (received + chunk.length > length) {
          req.destroy();
          return;
        }
        if (received === 0 && chunk.length === length) {
          single = chunk;
        } else {
          joined ??= new Uint8Array(length);
          if (single) joined.set(single, 0);
          single = undefined;
          joined.set(chunk, received);
        }
        received += chunk.length;
      });
      req.on("end", () => {
        const body = single ?? joined?.subarray(0, received) ?? new Uint8Array(0);
        respond({ req, res, entry, body, resolved: caller }).then(finished, () => res.destroy());
      });
    },
  };
}
