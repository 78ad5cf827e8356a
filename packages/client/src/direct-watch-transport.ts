import { Agent, type IncomingMessage, request as httpRequest } from "node:http";
import { create, type DescMessage, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type StreamResponse, type Transport } from "@connectrpc/connect";
import { createAsyncIterable, encodeEnvelope } from "@connectrpc/connect/protocol";
import { endStreamFlag, endStreamFromJson } from "@connectrpc/connect/protocol-connect";
import { DiscoveryService, WatchServicesRequestSchema, WatchServicesResponseSchema } from "@hub/proto";

const watchMethod = DiscoveryService.method.watchServices;
const contentType = "application/connect+proto";

/** The hub's transport with WatchServices read directly, and a way to release its connection. */
export interface DirectWatchTransport {
  readonly transport: Transport;
  close(): void;
}

/**
 * Wraps a hub's transport so WatchServices, the client's one long-lived, high-volume call, is
 * read straight from node:http in the Connect streaming protocol (binary, uncompressed): each
 * change costs one envelope split and one protobuf decode, not a pass through connect-es's
 * stream pipeline (about 90 µs a change per client, which adds up with many clients on a core).
 * Every other call, an `https:` hub, and a watch this path cannot open (connection refused, or a
 * server that does not answer in the Connect protocol) go to `inner`, with its fallbacks. A
 * stream that breaks after it opened fails like any other; the watcher resumes it.
 * @internal
 */
export function withDirectWatch(inner: Transport, baseUrl: string): DirectWatchTransport {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:") return { transport: inner, close: () => {} };
  const watchUrl = new URL(
    "hub.v1.DiscoveryService/WatchServices",
    url.href.endsWith("/") ? url : `${url.href}/`,
  );
  const agent = new Agent({ keepAlive: true });
  const transport: Transport = {
    unary: (...args) => inner.unary(...args),
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      if (method !== (watchMethod as unknown))
        return inner.stream(method, signal, timeoutMs, header, input, contextValues);
      // One request message; read it once so a fallback can send it again.
      const messages: MessageInitShape<typeof method.input>[] = [];
      for await (const message of input) messages.push(message);
      try {
        return (await openWatch(
          watchUrl,
          agent,
          (messages[0] ?? {}) as MessageInitShape<typeof WatchServicesRequestSchema>,
          signal,
          timeoutMs,
          header,
        )) as unknown as StreamResponse<typeof method.input, typeof method.output>;
      } catch (error) {
        if (!(error instanceof NotOpened)) throw error;
        return inner.stream(method, signal, timeoutMs, header, createAsyncIterable(messages), contextValues);
      }
    },
  };
  return { transport, close: () => agent.destroy() };
}

/** The watch could not be opened on this path; the inner transport should try. */
class NotOpened extends Error {}

function openWatch(
  url: URL,
  agent: Agent,
  input: MessageInitShape<typeof WatchServicesRequestSchema>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  header: HeadersInit | undefined,
): Promise<StreamResponse<DescMessage, typeof WatchServicesResponseSchema>> {
  const body = encodeEnvelope(
    0,
    toBinary(WatchServicesRequestSchema, create(WatchServicesRequestSchema, input)),
  );
  const headers: Record<string, string> = {};
  new Headers(header).forEach((value, name) => {
    headers[name] = value;
  });
  Object.assign(headers, {
    "content-type": contentType,
    "connect-protocol-version": "1",
    "content-length": String(body.byteLength),
  });
  if (timeoutMs !== undefined) headers["connect-timeout-ms"] = String(Math.max(1, Math.ceil(timeoutMs)));

  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(ConnectError.from(signal.reason, Code.Canceled));
      return;
    }
    const req = httpRequest(url, { method: "POST", headers, agent, signal });
    req.once("error", (error) =>
      reject(
        signal?.aborted ? ConnectError.from(signal.reason, Code.Canceled) : new NotOpened(error.message),
      ),
    );
    req.once("response", (res) => {
      const type = res.headers["content-type"];
      if (res.statusCode !== 200 || type !== contentType) {
        res.resume();
        // A proxy or server that does not speak Connect streaming here: let the fallbacks try.
        reject(new NotOpened(`HTTP ${res.statusCode} ${type ?? "without a content type"}`));
        return;
      }
      resolve({
        stream: true,
        service: DiscoveryService,
        method: watchMethod,
        header: new Headers(res.headers as Record<string, string>),
        trailer: new Headers(),
        message: readMessages(res, signal),
      } as unknown as StreamResponse<DescMessage, typeof WatchServicesResponseSchema>);
    });
    req.end(body);
  });
}

/** The stream's messages, until its end-of-stream message (which may carry an error). */
async function* readMessages(res: IncomingMessage, signal: AbortSignal | undefined) {
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readUInt32BE(1);
        if (pending.length < 5 + length) break;
        const flags = pending[0]!;
        const data = pending.subarray(5, 5 + length);
        pending = pending.subarray(5 + length);
        if (flags === 0) {
          yield fromBinary(WatchServicesResponseSchema, data);
        } else if (flags === endStreamFlag) {
          const end = endStreamFromJson(data);
          if (end.error) throw end.error;
          return;
        } else {
          throw new ConnectError(`protocol error: unexpected envelope flags ${flags}`, Code.Internal);
        }
      }
    }
  } catch (error) {
    if (signal?.aborted) throw ConnectError.from(signal.reason, Code.Canceled);
    throw ConnectError.from(error, Code.Unavailable);
  } finally {
    res.destroy();
  }
  throw new ConnectError("the hub closed the watch stream without ending it", Code.Unavailable);
}
