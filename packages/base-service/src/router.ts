import { BaseServiceError } from "./base-service-error.js";
import { ServiceError } from "./service-error.js";

/** The methods a route can answer. `HEAD` is also answered by a `GET` route. */
export const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** One of {@link httpMethods}. */
export type HttpMethod = (typeof httpMethods)[number];

/** A route of the table. */
export interface Route<H> {
  readonly method: HttpMethod;
  /** The pattern as given, e.g. `/orders/:id`; also the operation name in metrics. */
  readonly pattern: string;
  readonly handler: H;
}

/** What the table says about a request. */
export type RouteMatch<H> =
  | { readonly kind: "found"; readonly route: Route<H>; readonly params: Readonly<Record<string, string>> }
  /** The path exists for other methods, listed in `allowed` (for the `Allow` header). */
  | { readonly kind: "method_not_allowed"; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: "not_found" };

type Segment =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "param"; readonly name: string }
  | { readonly kind: "rest" };

interface CompiledRoute<H> extends Route<H> {
  readonly segments: readonly Segment[];
  /** Lower is more specific: literal segments beat `:params`, which beat a trailing `*`. */
  readonly rank: number;
  readonly order: number;
}

const paramName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A small route table: method + path pattern → handler. Patterns are literal segments, `:name`
 * segments (one non-empty segment, URL-decoded into `params.name`) and an optional trailing `*`
 * (the rest of the path, possibly empty, in `params["*"]`). When several routes match, the most
 * specific wins (literal over `:param` over `*`, left to right), then the one added first. A
 * trailing slash is ignored. Not a web framework: mount one with `BaseService.mount` if you need it.
 */
export class Router<H> {
  readonly #routes: CompiledRoute<H>[] = [];

  /**
   * Adds a route.
   * @throws BaseServiceError INVALID_ROUTE for an unknown method, a malformed pattern or a route defined twice.
   */
  add(method: string, pattern: string, handler: H): void {
    const upper = method.toUpperCase();
    if (!(httpMethods as readonly string[]).includes(upper)) {
      throw new BaseServiceError(
        "INVALID_ROUTE",
        `method must be one of ${httpMethods.join(", ")}, not ${method}`,
      );
    }
    const segments = compile(pattern);
    const key = segmentsKey(segments);
    if (this.#routes.some((route) => route.method === upper && segmentsKey(route.segments) === key)) {
      throw new BaseServiceError("INVALID_ROUTE", `${upper} ${pattern} is already defined`);
    }
    this.#routes.push({
      method: upper as HttpMethod,
      pattern,
      handler,
      segments,
      rank: rankOf(segments),
      order: this.#routes.length,
    });
  }

  /** The routes, in the order they were added. */
  routes(): readonly Route<H>[] {
    return this.#routes.map(({ method, pattern, handler }) => ({ method, pattern, handler }));
  }

  /**
   * Finds the route for a request path (without the query string).
   * @throws ServiceError INVALID_ARGUMENT when a `:param` segment is not valid percent-encoding.
   */
  match(method: string, path: string): RouteMatch<H> {
    const parts = splitPath(path);
    let best: { route: CompiledRoute<H>; params: Record<string, string> } | undefined;
    const allowed = new Set<HttpMethod>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      allowed.add(route.method);
      if (route.method === "GET") allowed.add("HEAD");
      const methodFits = route.method === method || (method === "HEAD" && route.method === "GET");
      if (!methodFits) continue;
      if (best === undefined || better(route, best.route, method)) best = { route, params };
    }
    if (best !== undefined) {
      const { method: routeMethod, pattern, handler } = best.route;
      return { kind: "found", route: { method: routeMethod, pattern, handler }, params: best.params };
    }
    if (allowed.size > 0) return { kind: "method_not_allowed", allowed: [...allowed].sort() };
    return { kind: "not_found" };
  }
}

function better<H>(candidate: CompiledRoute<H>, current: CompiledRoute<H>, method: string): boolean {
  // For HEAD, an explicit HEAD route beats the GET route of the same path.
  const exact = (route: CompiledRoute<H>) => (route.method === method ? 0 : 1);
  if (candidate.rank !== current.rank) return candidate.rank < current.rank;
  if (exact(candidate) !== exact(current)) return exact(candidate) < exact(current);
  return candidate.order < current.order;
}

function compile(pattern: string): Segment[] {
  if (!pattern.startsWith("/")) {
    throw new BaseServiceError("INVALID_ROUTE", `path pattern must start with "/": ${pattern}`);
  }
  const parts = splitPath(pattern);
  return parts.map((part, index): Segment => {
    if (part === "*") {
      if (index !== parts.length - 1) {
        throw new BaseServiceError("INVALID_ROUTE", `"*" must be the last segment: ${pattern}`);
      }
      return { kind: "rest" };
    }
    if (part.startsWith(":")) {
      const name = part.slice(1);
      if (!paramName.test(name)) {
        throw new BaseServiceError("INVALID_ROUTE", `bad parameter name "${name}" in ${pattern}`);
      }
      return { kind: "param", name };
    }
    return { kind: "literal", value: part };
  });
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed === "/" ? [] : trimmed.slice(1).split("/");
}

function segmentsKey(segments: readonly Segment[]): string {
  return segments
    .map((s) => (s.kind === "literal" ? `=${s.value}` : s.kind === "param" ? ":" : "*"))
    .join("/");
}

// Position-weighted, so the leftmost difference decides: /a/:x beats /:y/b.
function rankOf(segments: readonly Segment[]): number {
  let rank = 0;
  for (const [index, segment] of segments.entries()) {
    const cost = segment.kind === "literal" ? 0 : segment.kind === "param" ? 1 : 2;
    rank += cost * 3 ** (32 - Math.min(index, 32));
  }
  return rank;
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === "rest") {
      params["*"] = parts.slice(index).map(decode).join("/");
      return params;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === "literal") {
      if (segment.value !== part) return undefined;
    } else {
      if (part === "") return undefined;
      params[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ServiceError(
      "INVALID_ARGUMENT",
      `path segment is not valid percent-encoding: ${part.slice(0, 64)}`,
    );
  }
}
