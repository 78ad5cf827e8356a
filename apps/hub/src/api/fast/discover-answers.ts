import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type DiscoverResponse, DiscoverResponseSchema, type Endpoint } from "@hub/proto";
import type { DiscoveryResult } from "../../discovery/discover.js";
import type { Instance } from "../../registry/instance.js";
import { AnswerCache } from "../answer-cache.js";
import { discoveryToProto, endpointToProto } from "../connect/convert.js";
import { compactJsonObject, protobufBinary, type SpliceFormat, SplicedAnswer } from "../spliced-answer.js";
import { withProperties } from "../../with-properties.js";

/** Encodes a DiscoverResponse the way connect-node does for one format (binary or JSON). */
export interface ResponseSerializer {
  serialize(message: DiscoverResponse): Uint8Array;
}

/** Everything derived from one service state for one audience. */
interface Templates {
  /** The answer without its recommendation, and each instance's Endpoint message by id. */
  message?: { readonly base: DiscoverResponse; readonly endpoints: ReadonlyMap<string, Endpoint> };
  binary?: SplicedAnswer;
  json?: SplicedAnswer;
}

/**
 * Discover answers built once per service state and audience, with the recommendation put in
 * per request, so a registry of any size costs the same per call and round robin never misses.
 *
 * Encoded answers are cut around DiscoverResponse's fields in order (1 service_name |
 * 2 recommended_endpoint | 3-5 | 6 recommended | 7-9): protobuf-es writes fields in that order in
 * both formats, so the parts encoded apart and joined are the bytes of the whole message. The
 * fast-path conformance test holds this to connect-node's own encoding, byte for byte.
 */
export class DiscoverAnswers {
  private readonly templates = new AnswerCache<Templates>();

  /** The answer as a message (for connect-node's paths). */
  message(result: DiscoveryResult): DiscoverResponse {
    const { recommended } = result;
    if (recommended === undefined || !result.answerKey.spliceable) return discoveryToProto(result);
    const templates = this.templates.getOrCreate(result.answerKey, () => ({}));
    templates.message ??= messageTemplate(result);
    const { base, endpoints } = templates.message;
    return withProperties(base, {
      recommendedEndpoint: recommended.endpoint,
      recommended: endpoints.get(recommended.id),
    });
  }

  /** The answer encoded with `serializer` (for the fast path). */
  encode(result: DiscoveryResult, serializer: ResponseSerializer, binary: boolean): Uint8Array {
    const { recommended } = result;
    if (recommended === undefined || !result.answerKey.spliceable)
      return serializer.serialize(discoveryToProto(result));
    const templates = this.templates.getOrCreate(result.answerKey, () => ({}));
    if (binary) {
      templates.binary ??= splicedTemplate(result, serializer, protobufBinary);
      return templates.binary.with(recommended);
    }
    templates.json ??= splicedTemplate(result, serializer, compactJsonObject);
    return templates.json.with(recommended);
  }
}

function messageTemplate(result: DiscoveryResult): NonNullable<Templates["message"]> {
  const { recommended: _, ...withoutRecommendation } = result;
  const base = discoveryToProto(withProperties(withoutRecommendation, { recommended: undefined }));
  const endpoints = new Map(base.endpoints.map((endpoint) => [endpoint.instanceId, endpoint]));
  return { base, endpoints };
}

function splicedTemplate(
  result: DiscoveryResult,
  serializer: ResponseSerializer,
  format: SpliceFormat,
): SplicedAnswer {
  const whole = discoveryToProto(result);
  const part = (fields: MessageInitShape<typeof DiscoverResponseSchema>) => encodePart(serializer, fields);
  return new SplicedAnswer(
    [
      part({ serviceName: whole.serviceName }),
      part({
        allHealthyEndpoints: whole.allHealthyEndpoints,
        confidence: whole.confidence,
        connectionType: whole.connectionType,
      }),
      part({ endpoints: whole.endpoints, healthyAvailable: whole.healthyAvailable, message: whole.message }),
    ],
    result.healthy,
    recommendationPieces(serializer),
    format,
  );
}

function encodePart(
  serializer: ResponseSerializer,
  fields: MessageInitShape<typeof DiscoverResponseSchema>,
): Uint8Array {
  return serializer.serialize(create(DiscoverResponseSchema, fields));
}

type Pieces = (recommended: Instance) => readonly [Uint8Array, Uint8Array];
const piecesBySerializer = new WeakMap<ResponseSerializer, Pieces>();

/** One function per serializer for every template, not a closure each (10k services' templates hold it). */
function recommendationPieces(serializer: ResponseSerializer): Pieces {
  let pieces = piecesBySerializer.get(serializer);
  if (pieces === undefined) {
    pieces = (instance) => [
      encodePart(serializer, { recommendedEndpoint: instance.endpoint }),
      encodePart(serializer, { recommended: endpointToProto(instance) }),
    ];
    piecesBySerializer.set(serializer, pieces);
  }
  return pieces;
}
