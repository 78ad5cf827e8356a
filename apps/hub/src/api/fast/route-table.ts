import type { DescMessage, DescMethodUnary, MessageShape } from "@bufbuild/protobuf";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import {
  createMethodSerializationLookup,
  createMethodUrl,
  type MethodSerializationLookup,
  validateUniversalHandlerOptions,
} from "@connectrpc/connect/protocol";
import type { CallerContext, ResolvedCaller } from "../request-context.js";
import type { NodeRequest, NodeResponse } from "../rest/json-io.js";

/** One hot unary method the fast path serves, with the same domain call its Connect service makes. */
export interface FastUnaryRoute<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage> {
  readonly method: DescMethodUnary<I, O>;
  readonly handle: (
    input: MessageShape<I>,
    caller: CallerContext,
  ) => MessageShape<O> | Promise<MessageShape<O>>;
  /**
   * When present, the fast path answers with these bytes instead of serializing `handle`'s message
   * (for routes that keep encoded answers); they must be exactly what serializing it would give.
   */
  readonly encode?: (
    input: MessageShape<I>,
    caller: CallerContext,
    serializer: { serialize(message: MessageShape<O>): Uint8Array },
    binary: boolean,
  ) => Uint8Array;
}

/** A hot method with its serializers, as connect-node builds them. */
export interface RouteEntry {
  readonly route: FastUnaryRoute;
  readonly serialization: MethodSerializationLookup<DescMessage, DescMessage>;
}

/**
 * The answer's bytes for a parsed request: the route's kept encoding when it has one, else its
 * message serialized in the request's format.
 */
export async function answerBytes(
  entry: RouteEntry,
  input: MessageShape<DescMessage>,
  caller: CallerContext,
  binary: boolean,
): Promise<Uint8Array> {
  const serializer = entry.serialization.getO(binary);
  return entry.route.encode
    ? entry.route.encode(input, caller, serializer, binary)
    : serializer.serialize(await entry.route.handle(input, caller));
}

/** A unary call to a hot method whose request body has been read. */
export interface BufferedCall {
  readonly req: NodeRequest;
  readonly res: NodeResponse;
  readonly entry: RouteEntry;
  readonly body: Uint8Array;
  readonly resolved: ResolvedCaller;
}

/**
 * The hot methods by request path, with connect-node's own handler options (limits, compression,
 * serialization), so a fast path answers with the stock handler's settings.
 */
export function createRouteTable(routes: readonly FastUnaryRoute[], readMaxBytes: number) {
  const options = validateUniversalHandlerOptions({
    readMaxBytes,
    // connect-node's defaults, which the stock handler uses too.
    acceptCompression: [compressionGzip, compressionBrotli],
  });
  const entries = new Map<string, RouteEntry>();
  for (const route of routes) {
    entries.set(createMethodUrl("/", route.method), {
      route,
      serialization: createMethodSerializationLookup(
        route.method,
        options.binaryOptions,
        options.jsonOptions,
        options,
      ),
    });
  }
  return { options, entries };
}
