import { Code, ConnectError } from "@connectrpc/connect";
import {
  compressionNegotiate,
  encodeEnvelope,
  type UniversalHandlerOptions,
} from "@connectrpc/connect/protocol";
import * as connect from "@connectrpc/connect/protocol-connect";
import * as grpc from "@connectrpc/connect/protocol-grpc";
import type { WatchServicesRequest } from "@hub/proto";
import { toConnectError } from "../../errors/hub-error.js";
import type { HubApi } from "../hub-api.js";
import type { RegistryWatch, RegistryWatchEvent } from "../registry-watch.js";
import { type ResolvedCaller, requireCaller } from "../request-context.js";
import type { NodeRequest, NodeResponse } from "../rest/json-io.js";
import { singleHeader } from "./fast-path.js";

/** What differs between the two protocols the fast path speaks (header names as Node gives them: lower case). */
export interface Protocol {
  readonly contentType: string;
  readonly timeoutHeader: string;
  readonly encodingHeader: string;
  readonly acceptEncodingHeader: string;
  readonly parseTimeout: typeof grpc.parseTimeout;
}

export const grpcProtocol: Protocol = {
  contentType: grpc.contentTypeProto,
  timeoutHeader: grpc.headerTimeout.toLowerCase(),
  encodingHeader: grpc.headerEncoding.toLowerCase(),
  acceptEncodingHeader: grpc.headerAcceptEncoding.toLowerCase(),
  parseTimeout: grpc.parseTimeout,
};

export const connectProtocol: Protocol = {
  contentType: connect.contentTypeStreamProto,
  timeoutHeader: connect.headerTimeout.toLowerCase(),
  encodingHeader: connect.headerStreamEncoding.toLowerCase(),
  acceptEncodingHeader: connect.headerStreamAcceptEncoding.toLowerCase(),
  parseTimeout: connect.parseTimeout,
};

/** What every watch stream of one fast path shares. */
export interface WatchStreamContext {
  readonly api: HubApi;
  readonly handlerOptions: UniversalHandlerOptions;
  readonly shutdownSignal: AbortSignal;
  readonly maxBufferedBytes: number;
  readonly endStream: ReturnType<typeof connect.createEndStreamSerialization>;
  parseRequest(message: Uint8Array): WatchServicesRequest;
  /** The event's envelope, compressed with `compression` when the stock handler would. */
  envelopeOf(event: RegistryWatchEvent, compression: string | undefined): Uint8Array;
}

/** One watcher's response, from its request body to the end of its stream. */
export class WatchStream {
  private watch: RegistryWatch | undefined;
  private stalled = false;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly compression: string | undefined;

  constructor(
    private readonly context: WatchStreamContext,
    private readonly req: NodeRequest,
    private readonly res: NodeResponse,
    private readonly protocol: Protocol,
    private readonly caller: ResolvedCaller,
    private readonly body: Uint8Array | ConnectError,
  ) {
    const negotiated = compressionNegotiate(
      context.handlerOptions.acceptCompression,
      null,
      singleHeader(req, protocol.acceptEncodingHeader),
      protocol.acceptEncodingHeader,
    );
    this.compression = negotiated.response?.name;
  }

  start(): void {
    const correlationId = this.caller.ok ? this.caller.caller.correlationId : this.caller.correlationId;
    const headers: Record<string, string> = {
      "x-correlation-id": correlationId,
      "content-type": this.protocol.contentType,
    };
    if (this.compression !== undefined) headers[this.protocol.encodingHeader] = this.compression;
    this.res.writeHead(200, headers);
    try {
      // The stock handler's order: timeout header, then the message, then the implementation.
      const timeout = this.protocol.parseTimeout(
        singleHeader(this.req, this.protocol.timeoutHeader),
        this.context.handlerOptions.maxTimeoutMs,
      );
      if (timeout.error) throw timeout.error;
      if (this.body instanceof ConnectError) throw this.body;
      const request = this.context.parseRequest(singleMessage(this.body));
      this.watch = this.context.api.openWatch(
        request.names,
        Number(request.fromRevision),
        requireCaller(this.caller),
        request.legacyMode,
        { onEvents: (events) => this.send(events), onReload: () => this.sendSnapshot() },
      );
      if (timeout.timeoutMs !== undefined) this.timer = setTimeout(() => this.end(), timeout.timeoutMs);
    } catch (cause) {
      this.end(toConnectError(cause));
      return;
    }
    this.res.once("close", this.onClose);
    this.context.shutdownSignal.addEventListener("abort", this.onClose);
    if (this.context.shutdownSignal.aborted) {
      this.end();
      return;
    }
    this.send(this.watch.initial);
  }

  private readonly onClose = () => this.end();

  private send(events: readonly RegistryWatchEvent[]): void {
    if (this.ended || this.stalled || events.length === 0) return;
    const parts = events.map((event) => this.context.envelopeOf(event, this.compression));
    this.res.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    if (this.res.writableLength > this.context.maxBufferedBytes) {
      // A watcher that does not read: stop queueing changes; a snapshot replaces them later.
      this.stalled = true;
      this.res.once("drain", () => {
        this.stalled = false;
        this.sendSnapshot();
      });
    }
  }

  private sendSnapshot(): void {
    if (this.watch !== undefined) this.send([this.watch.snapshot()]);
  }

  /** Ends the stream: cleanly without an error, as the stock handler does on a deadline or shutdown. */
  private end(error?: ConnectError): void {
    if (this.ended) return;
    this.ended = true;
    this.watch?.close();
    clearTimeout(this.timer);
    this.res.off("close", this.onClose);
    this.context.shutdownSignal.removeEventListener("abort", this.onClose);
    if (this.res.writableEnded || this.res.destroyed) return;
    if (this.protocol === grpcProtocol) {
      const trailer = new Headers({ [grpc.headerGrpcStatus]: grpc.grpcStatusOk });
      if (error) grpc.setTrailerStatus(trailer, error);
      const trailers: Record<string, string> = {};
      trailer.forEach((value, name) => {
        trailers[name] = value;
      });
      this.res.addTrailers(trailers);
      this.res.end();
    } else {
      const data = this.context.endStream.serialize({ metadata: new Headers(), ...(error ? { error } : {}) });
      this.res.end(encodeEnvelope(connect.endStreamFlag, data));
    }
  }
}

/** The one message of a server-streaming request, or the error the stock handler gives. */
function singleMessage(body: Uint8Array): Uint8Array {
  if (body.byteLength < 5) {
    throw new ConnectError(
      "protocol error: missing input message for server-streaming method",
      Code.InvalidArgument,
    );
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const flags = view.getUint8(0);
  const length = view.getUint32(1);
  if (flags !== 0)
    throw new ConnectError(
      "protocol error: compressed or end-stream message in request",
      Code.InvalidArgument,
    );
  if (5 + length < body.byteLength) {
    throw new ConnectError(
      "protocol error: received extra input message for server-streaming method",
      Code.InvalidArgument,
    );
  }
  if (5 + length > body.byteLength)
    throw new ConnectError("protocol error: premature end of stream", Code.InvalidArgument);
  return body.subarray(5, 5 + length);
}
