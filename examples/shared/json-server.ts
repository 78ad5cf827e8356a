import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import { readTenantContext, type TenantContext } from "./tenant-context.js";

/** A request as route handlers see it: JSON already parsed, tenant headers already picked. */
export interface ServiceRequest {
  method: string;
  path: string;
  /** Values of the `:name` segments of the matched route. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  tenant: TenantContext;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

/** What a handler answers; `body` is sent as JSON unless undefined. */
export interface ServiceResponse {
  status: number;
  body?: unknown;
}

/** Handles one route. Throwing answers 500 with the error's message. */
export type RouteHandler = (request: ServiceRequest) => ServiceResponse | Promise<ServiceResponse>;

/** One route: an HTTP method and a path whose `:name` segments capture values. */
export interface Route {
  method: string;
  path: string;
  handler: RouteHandler;
}

/** Called once per answered request, for the service's own health figures. */
export type RequestObserver = (durationMs: number, status: number, tenant: TenantContext) => void;

// Same limit the hub applies to its own JSON bodies (API.md).
const MAX_BODY_BYTES = 64 * 1024;

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? "";
    if (segment.startsWith(":")) {
      if (actual === "") return undefined;
      params[segment.slice(1)] = decodeURIComponent(actual);
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new BadRequest(413, "payload_too_large", `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadRequest(400, "invalid_argument", "body is not valid JSON");
  }
}

function errorBody(code: string, message: string): unknown {
  return { error: { code, message } };
}

/**
 * Creates a small JSON-over-HTTP server for the given routes. It answers 404 for unknown
 * paths, 400 for bad JSON, 413 past 64 KiB, 500 when a handler throws, and echoes
 * `x-correlation-id` so a call can be traced across services.
 */
export function createJsonServer(routes: readonly Route[], observe: RequestObserver): Server {
  return createServer((req, res) => {
    const startedAt = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const tenant = readTenantContext(req.headers);
    const send = (response: ServiceResponse): void => {
      const headers: Record<string, string> = {};
      if (tenant["x-correlation-id"] !== undefined) headers["x-correlation-id"] = tenant["x-correlation-id"];
      if (response.body !== undefined) headers["content-type"] = "application/json";
      res.writeHead(response.status, headers);
      res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
      observe(performance.now() - startedAt, response.status, tenant);
    };
    const handle = async (): Promise<ServiceResponse> => {
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const params = matchPath(route.path, url.pathname);
        if (params === undefined) continue;
        const body = await readJsonBody(req);
        return route.handler({
          method: req.method,
          path: url.pathname,
          params,
          query: url.searchParams,
          headers: req.headers,
          tenant,
          body,
        });
      }
      return { status: 404, body: errorBody("not_found", `no route for ${req.method} ${url.pathname}`) };
    };
    handle().then(send, (error: unknown) => {
      if (error instanceof BadRequest)
        send({ status: error.status, body: errorBody(error.code, error.message) });
      else
        send({
          status: 500,
          body: errorBody("internal", error instanceof Error ? error.message : String(error)),
        });
    });
  });
}
