import type { HubApi } from "../hub-api.js";
import { correlationIdOfCaller, type ResolvedCaller } from "../request-context.js";
import { discoverByPath } from "../rest/discover-by-path.js";
import type { DiscoverJsonAnswers } from "../rest/discover-json.js";
import { type NodeResponse, sendError } from "../rest/json-io.js";
import { decodeSegment } from "../rest/rest-mapping.js";
import type { FastPath } from "./fast-path.js";

const prefix = "/services/discover/";

/**
 * Serves `GET /services/discover/{name}` (the plain JSON path existing services poll) without
 * the router's regex loop, query object and async hop: the same domain call and bytes as the
 * router's route (discoverByPath), answered synchronously with one writeHead. Anything else
 * under that prefix (HEAD, empty or nested names) goes to the router; a conformance test
 * compares the two, errors included.
 */
export function createFastDiscoverPath(api: HubApi, answers: DiscoverJsonAnswers): FastPath {
  let served = 0;
  return {
    get served() {
      return served;
    },
    accepts(req) {
      const url = req.url;
      if (req.method !== "GET" || url === undefined || !url.startsWith(prefix)) return false;
      const name = nameSegment(url);
      return name.length > 0 && !name.includes("/");
    },
    serve(req, res, caller, finished) {
      served++;
      const url = req.url!;
      const query = url.indexOf("?");
      answer(res, caller, nameSegment(url), query < 0 ? "" : url.slice(query + 1));
      finished();
    },
  };

  function answer(res: NodeResponse, caller: ResolvedCaller, segment: string, search: string): void {
    const correlationId = correlationIdOfCaller(caller);
    let body: Uint8Array;
    try {
      body = discoverByPath(api, answers, decodeSegment(segment), new URLSearchParams(search), caller);
    } catch (error) {
      res.setHeader("x-correlation-id", correlationId);
      sendError(res, error);
      return;
    }
    res.writeHead(200, {
      "x-correlation-id": correlationId,
      "content-type": "application/json",
      "content-length": body.byteLength,
    });
    res.end(body);
  }
}

/** The {name} of /services/discover/{name}[/][?query], still percent-encoded. */
function nameSegment(url: string): string {
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const name = path.slice(prefix.length);
  return name.endsWith("/") ? name.slice(0, -1) : name;
}
