import type { HubApi } from "../hub-api.js";
import { type ResolvedCaller, requireCaller } from "../request-context.js";
import type { DiscoverJsonAnswers } from "./discover-json.js";
import { parseFlag, strategyFromQuery } from "./rest-mapping.js";

/**
 * `GET /services/discover/{name}`: the answer as JSON bytes, for the plain JSON router and its
 * fast path alike. `name` is already percent-decoded.
 * @throws HubError for a bad caller, flag, strategy or name, or an unknown service.
 */
export function discoverByPath(
  api: HubApi,
  answers: DiscoverJsonAnswers,
  name: string,
  query: URLSearchParams,
  caller: ResolvedCaller,
): Uint8Array {
  const result = api.discover(
    name,
    requireCaller(caller),
    parseFlag("legacy_mode", query.get("legacy_mode")),
    strategyFromQuery(query.get("strategy")),
  );
  return answers.encode(result);
}
