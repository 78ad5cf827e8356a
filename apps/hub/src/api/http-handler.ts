import { correlationIdOf, type TenantContextResolver } from "../auth/tenant-context.js";
import { HubError } from "../errors/hub-error.js";
import type { HubLogger } from "../logger.js";
import type { RequestMetrics } from "../monitoring/request-metrics.js";
import type { FastPath } from "./fast/fast-path.js";
import { correlationIdOfCaller, type ResolvedCaller } from "./request-context.js";
import type { NodeRequest, NodeResponse } from "./rest/json-io.js";
import type { RestRouter } from "./rest/rest-router.js";

export type NodeHandler = (req: NodeRequest, res: NodeResponse) => void;

export interface HttpHandlerOptions {
  readonly rest: RestRouter;
  /** connect-node's adapter for every Connect, gRPC and gRPC-web route. */
  readonly connect: NodeHandler;
  readonly resolver: TenantContextResolver;
  readonly metrics: RequestMetrics;
  readonly logger: HubLogger;
  /** Remembers each request's caller for the Connect handlers (read through contextValues). */
  readonly callers: WeakMap<object, ResolvedCaller>;
  /** Paths that serve hot calls straight from node:http (first that accepts); empty sends all to connect-node. */
  readonly fast: readonly FastPath[];
  /** Adds CORS headers for allowed browser origins; true when it answered a preflight. */
  readonly cors: (req: NodeRequest, res: NodeResponse) => boolean;
}

/**
 * The hub's one request handler: resolves the caller once (the auth layer's decision), echoes
 * the correlation id on every response, records request metrics, and hands the request to the
 * plain JSON router or to Connect.
 */
export function createHttpHandler(options: HttpHandlerOptions): NodeHandler {
  const { rest, connect, resolver, metrics, logger, callers, cors, fast } = options;
  const toResolved = (req: NodeRequest, error: unknown): ResolvedCaller => {
    if (!(error instanceof HubError)) logger.error({ err: error }, "tenant context resolution failed");
    const hubError =
      error instanceof HubError ? error : new HubError("INTERNAL", "internal error", { cause: error });
    return { ok: false, error: hubError, correlationId: correlationIdOf(req.headers) };
  };

  return (req, res) => {
    if (cors(req, res)) return;
    const started = performance.now();
    const request = { headers: req.headers, peer: { remoteAddress: req.socket?.remoteAddress } };
    if (resolver.resolveNow) {
      let resolved: ResolvedCaller;
      try {
        resolved = { ok: true, caller: resolver.resolveNow(request) };
      } catch (error) {
        resolved = toResolved(req, error);
      }
      dispatch(req, res, resolved, started);
      return;
    }
    void resolver.resolve(request).then(
      (caller) => dispatch(req, res, { ok: true, caller }, started),
      (error: unknown) => dispatch(req, res, toResolved(req, error), started),
    );
  };

  function dispatch(req: NodeRequest, res: NodeResponse, resolved: ResolvedCaller, started: number): void {
    const correlationId = correlationIdOfCaller(resolved);
    const finished = () => {
      const companyId = resolved.ok ? resolved.caller.companyId : undefined;
      const durationMs = performance.now() - started;
      metrics.record(durationMs, res.statusCode >= 500, companyId);
      // Per-request lines only at debug: on the hot path even building the object costs.
      if (logger.isLevelEnabled("debug")) {
        logger.debug(
          { correlationId, method: req.method, path: req.url, status: res.statusCode, durationMs },
          "request",
        );
      }
    };
    for (const path of fast) {
      if (!path.accepts(req)) continue;
      // A fast path writes the correlation id with its one writeHead and reports when done.
      path.serve(req, res, resolved, finished);
      return;
    }
    res.setHeader("x-correlation-id", correlationId);
    res.once("finish", finished);
    const { pathname, search } = splitPath(req.url);
    if (rest.matches(pathname)) {
      void rest.handle(req, res, pathname, search, resolved);
      return;
    }
    callers.set(req, resolved);
    connect(req, res);
  }
}

/** A request target split without URL's full parser (which costs microseconds per request). */
function splitPath(target: string | undefined): { pathname: string; search: string } {
  const value = target ?? "/";
  const query = value.indexOf("?");
  return query < 0
    ? { pathname: value, search: "" }
    : { pathname: value.slice(0, query), search: value.slice(query + 1) };
}
