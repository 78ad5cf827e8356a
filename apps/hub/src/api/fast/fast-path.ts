import type { ResolvedCaller } from "../request-context.js";
import type { NodeRequest, NodeResponse } from "../rest/json-io.js";

/** A path that serves some requests straight from node:http instead of connect-node. */
export interface FastPath {
  /** Whether this path serves the request, decided from the request line and headers alone. */
  accepts(req: NodeRequest): boolean;
  /** Serves the request; calls `finished` once when the response is done (or the client left). */
  serve(req: NodeRequest, res: NodeResponse, caller: ResolvedCaller, finished: () => void): void;
  /** Requests served so far. @internal for tests that must know which path answered. */
  readonly served: number;
}

/** A request header's value when sent once, else null. */
export function singleHeader(req: NodeRequest, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}
