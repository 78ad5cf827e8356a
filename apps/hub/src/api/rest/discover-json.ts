import type { DiscoveryResult } from "../../discovery/discover.js";
import type { Instance } from "../../registry/instance.js";
import { AnswerCache } from "../answer-cache.js";
import { compactJsonObject, SplicedAnswer } from "../spliced-answer.js";
import { discoveryToJson, endpointToJson, type JsonObject } from "./rest-mapping.js";

const firstPlace = "recommended_endpoint";
const secondPlace = "recommended";

/**
 * The plain JSON path's Discover answers, encoded once per service state and audience with the
 * recommendation spliced in per request (see {@link SplicedAnswer}), as UTF-8 bytes.
 */
export class DiscoverJsonAnswers {
  private readonly templates = new AnswerCache<SplicedAnswer>();

  encode(result: DiscoveryResult): Uint8Array {
    const { recommended } = result;
    if (recommended === undefined || !result.answerKey.spliceable) return utf8Json(discoveryToJson(result));
    return this.templates.getOrCreate(result.answerKey, () => template(result)).with(recommended);
  }
}

function template(result: DiscoveryResult): SplicedAnswer {
  // The answer's keys in order, cut at the two that name the recommendation.
  const [head, middle, tail]: JsonObject[] = [{}, {}, {}];
  let segment = head;
  for (const [key, value] of Object.entries(discoveryToJson(result))) {
    if (key === firstPlace) segment = middle;
    else if (key === secondPlace) segment = tail;
    else segment[key] = value;
  }
  return new SplicedAnswer(
    [utf8Json(head), utf8Json(middle), utf8Json(tail)],
    result.healthy,
    recommendationPieces,
    compactJsonObject,
  );
}

/** One function for every template, not a closure each (10k services' templates hold it). */
function recommendationPieces(instance: Instance): readonly [Uint8Array, Uint8Array] {
  return [
    utf8Json({ [firstPlace]: instance.endpoint }),
    utf8Json({ [secondPlace]: endpointToJson(instance) }),
  ];
}

function utf8Json(value: JsonObject): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}
