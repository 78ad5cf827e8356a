import type { DiscoveryResult } from "../../discovery/discover.js";
import { HubError } from "../../errors/hub-error.js";
import type { ConfigApi } from "../config-api.js";
import type { HealthReporter } from "../health-reporter.js";
import type { HubApi } from "../hub-api.js";
import { type ResolvedCaller, requireCaller } from "../request-context.js";
import { configRoutes } from "./config-routes.js";
import {
  type NodeRequest,
  type NodeResponse,
  readJsonBody,
  sendError,
  sendJson,
  sendJsonBytes,
  sendNoContent,
} from "./json-io.js";
import { discoverByPath } from "./discover-by-path.js";
import type { DiscoverJsonAnswers } from "./discover-json.js";
import {
  decodeSegment,
  instanceInputFromJson,
  instanceToJson,
  serviceToJson,
  parseFlag,
  strategyFromQuery,
  withJsonFieldName,
} from "./rest-mapping.js";

export interface RestContext {
  readonly req: NodeRequest;
  readonly res: NodeResponse;
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly params: readonly string[];
  readonly caller: ResolvedCaller;
}

type RestHandler = (ctx: RestContext) => Promise<void> | void;

/** One path: a method, an anchored pattern whose groups are the path parameters, and its handler. */
export interface RestRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: RestHandler;
}

export interface RestRouterOptions {
  readonly api: HubApi;
  readonly config: ConfigApi;
  readonly health: HealthReporter;
  readonly maxBodyBytes: number;
  /** Encoded Discover answers, shared with the fast path for `GET /services/discover/{name}`. */
  readonly discoverAnswers: DiscoverJsonAnswers;
}

/**
 * The plain JSON paths existing services call (see API.md). Each handler decodes, calls the
 * same HubApi as the Connect services, and encodes; no logic lives here.
 */
export class RestRouter {
  private readonly routes: RestRoute[];

  constructor(private readonly options: RestRouterOptions) {
    const { api, health, maxBodyBytes } = options;
    const legacy = (query: URLSearchParams) => parseFlag("legacy_mode", query.get("legacy_mode"));
    const segment = "([^/]+)";
    // Discovery is the hot path: each distinct answer is serialised once per registry change.
    const { discoverAnswers } = options;
    const sendDiscovery = (res: NodeResponse, result: DiscoveryResult) =>
      sendJsonBytes(res, 200, discoverAnswers.encode(result));
    this.routes = [
      route("POST", /^\/services\/register\/?$/, async ({ req, res }) => {
        const input = instanceInputFromJson(await readJsonBody(req, maxBodyBytes));
        const { instance, created } = await api
          .register(input)
          .catch((error: unknown) => Promise.reject(withJsonFieldName(error)));
        sendJson(res, created ? 201 : 200, instanceToJson(instance));
      }),
      route("POST", /^\/services\/discover\/?$/, async ({ req, res, query, caller }) => {
        const body = (await readJsonBody(req, maxBodyBytes)) as Record<string, unknown>;
        const legacyMode = parseFlag("legacy_mode", body.legacy_mode) || legacy(query);
        const result = api.discover(
          String(body.name ?? ""),
          requireCaller(caller),
          legacyMode,
          strategyFromQuery(body.strategy),
        );
        sendDiscovery(res, result);
      }),
      route("GET", new RegExp(`^/services/discover/${segment}/?$`), ({ res, query, params, caller }) => {
        sendJsonBytes(res, 200, discoverByPath(api, discoverAnswers, params[0]!, query, caller));
      }),
      route(
        "PUT",
        new RegExp(`^/services/${segment}/instances/${segment}/heartbeat/?$`),
        async ({ req, res, params }) => {
          const body = (await readJsonBody(req, maxBodyBytes)) as Record<string, unknown>;
          if (body.load !== undefined && body.load !== null && typeof body.load !== "number") {
            throw new HubError("INVALID_ARGUMENT", "load: must be a number", { details: { field: "load" } });
          }
          const { leaseExpiresAt } = await api.heartbeat(
            params[0]!,
            params[1]!,
            (body.load as number | null) ?? 0,
          );
          sendJson(res, 200, { lease_expires_at: new Date(leaseExpiresAt).toISOString() });
        },
      ),
      route(
        "DELETE",
        new RegExp(`^/services/${segment}/instances/${segment}/?$`),
        async ({ res, params }) => {
          await api.deregister(params[0]!, params[1]!);
          sendNoContent(res);
        },
      ),
      route("GET", /^\/services\/?$/, ({ res, query, caller }) => {
        const services = api.listServices(requireCaller(caller), legacy(query));
        sendJson(res, 200, { services: services.map(serviceToJson) });
      }),
      route("GET", new RegExp(`^/services/${segment}/?$`), ({ res, query, params, caller }) => {
        sendJson(res, 200, serviceToJson(api.getService(params[0]!, requireCaller(caller), legacy(query))));
      }),
      route("GET", /^\/health\/?$/, ({ res }) => sendJson(res, 200, health.hub())),
      route("GET", /^\/health\/services\/?$/, ({ res, caller }) =>
        sendJson(res, 200, health.services(requireCaller(caller))),
      ),
      ...configRoutes(options.config, maxBodyBytes),
    ];
  }

  /** True when the path belongs to the JSON API (so the request is not handed to Connect). */
  matches(pathname: string): boolean {
    return (
      pathname === "/health" ||
      pathname.startsWith("/health/") ||
      pathname === "/services" ||
      pathname.startsWith("/services/") ||
      pathname.startsWith("/config/")
    );
  }

  async handle(
    req: NodeRequest,
    res: NodeResponse,
    pathname: string,
    search: string,
    caller: ResolvedCaller,
  ): Promise<void> {
    try {
      // The first route for this method whose pattern matches: one regex run per route tried,
      // and the other methods' routes are looked at only to answer 404 / 405.
      let found: RestRoute | undefined;
      let match: RegExpExecArray | null = null;
      for (const candidate of this.routes) {
        if (candidate.method !== req.method && !(req.method === "HEAD" && candidate.method === "GET"))
          continue;
        match = candidate.pattern.exec(pathname);
        if (match !== null) {
          found = candidate;
          break;
        }
      }
      if (found === undefined || match === null) {
        const methodMatches = this.routes.filter((r) => r.pattern.test(pathname));
        if (methodMatches.length > 0) {
          res.setHeader("allow", [...new Set(methodMatches.map((r) => r.method))].join(", "));
          sendJson(res, 405, {
            error: { code: "method_not_allowed", message: `${req.method} is not allowed on ${pathname}` },
          });
        } else {
          sendJson(res, 404, { error: { code: "not_found", message: `no such path: ${pathname}` } });
        }
        return;
      }
      const params = match.slice(1).map(decodeSegment);
      await found.handler({ req, res, pathname, query: new URLSearchParams(search), params, caller });
    } catch (error) {
      sendError(res, error);
    }
  }

  get maxBodyBytes(): number {
    return this.options.maxBodyBytes;
  }
}

function route(method: string, pattern: RegExp, handler: RestHandler): RestRoute {
  return { method, pattern, handler };
}
