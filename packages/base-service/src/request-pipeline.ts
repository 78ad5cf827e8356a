import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "@hub/client";
import { type ErrorDNA, toLogFields } from "@hub/error-dna";
import type { PerformanceTracker, Timer } from "@hub/perf-tracker";
import type { Logger } from "pino";
import { errorEnvelope, successEnvelope } from "./envelope.js";
import { type ErrorMapper, toServiceError } from "./error-mapping.js";
import type { ActiveTenants } from "./health/index.js";
import type { InFlightRequests } from "./in-flight.js";
import { Reply } from "./reply.js";
import { createRequestContext, type RequestContext } from "./request-context.js";
import { runInScope, tenantLogBindings } from "./request-scope.js";
import type { Router } from "./router.js";
import { ServiceError } from "./service-error.js";
import { parseTenantHeaders, readCorrelationId, type TenantContext } from "./tenant-context.js";

/** Handles one route. Return data (sent in the success envelope), a {@link Reply}, or nothing after writing `context.response` yourself. */
export type RouteHandler = (context: RequestContext) => unknown;

/** A plain Node handler for everything the route table does not answer (an express or connect app, a static file server). */
export type MountedHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** A route table entry. `internal` routes (health, metrics) are not measured and log at debug. @internal */
export interface RouteEntry {
  readonly handler: RouteHandler;
  readonly internal: boolean;
}

/** What the request pipeline works with. @internal */
export interface PipelineParts {
  readonly router: Router<RouteEntry>;
  readonly mounted: () => MountedHandler | undefined;
  readonly logger: Logger;
  readonly tracker: PerformanceTracker;
  readonly errorDna: ErrorDNA;
  readonly activeTenants: ActiveTenants;
  readonly inFlight: InFlightRequests;
  readonly errorMappers: readonly ErrorMapper[];
  readonly maxBodyBytes: number;
  readonly maxTenantIdLength: number;
  readonly clock: Clock;
  readonly stopping: () => boolean;
}

/**
 * The `request` listener of the service's HTTP server: reads and validates the tenant headers,
 * runs the rest inside the request's scope (`currentTenant()`, `logger()`), routes, answers in the
 * envelope, maps errors to statuses, logs every request with its correlation id, analyses 5xx
 * with ErrorDNA and measures everything but the internal routes.
 * @internal
 */
export function createRequestListener(
  parts: PipelineParts,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const signal = parts.inFlight.add(response);
    if (parts.stopping()) response.setHeader("connection", "close");
    let tenant: TenantContext;
    let tenantError: unknown;
    try {
      tenant = parseTenantHeaders(request.headersDistinct, { maxLength: parts.maxTenantIdLength });
    } catch (error) {
      tenant = { correlationId: readCorrelationId(request.headersDistinct) };
      tenantError = error;
    }
    const log = parts.logger.child(tenantLogBindings(tenant));
    response.setHeader("x-correlation-id", tenant.correlationId);
    runInScope({ tenant, logger: log }, () => {
      void handle(parts, { request, response, tenant, tenantError, log, signal });
    });
  };
}

interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly tenant: TenantContext;
  readonly tenantError: unknown;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

async function handle(parts: PipelineParts, exchange: Exchange): Promise<void> {
  const { request, response, tenant, log } = exchange;
  const method = request.method ?? "GET";
  // Origin-form targets are joined, not resolved: "//host/x" must stay a path, not become a host.
  const target = request.url ?? "/";
  const url = new URL(`http://localhost${target.startsWith("/") ? target : `/${target}`}`);
  let routeName: string | undefined;
  let internal = false;
  let timer: Timer | undefined;
  response.once("close", () => {
    const status = response.statusCode;
    const finished = response.writableFinished;
    timer?.end({ failed: status >= 500 || !finished });
    const fields = { method, path: url.pathname, route: routeName, status, finished };
    if (internal) log.debug(fields, "request completed");
    else log.info(fields, "request completed");
  });
  try {
    const match = parts.router.match(method, url.pathname);
    if (match.kind === "found") {
      routeName = match.route.pattern;
      internal = match.route.handler.internal;
    }
    const mounted = match.kind === "found" ? undefined : parts.mounted();
    if (!internal) {
      timer = parts.tracker.startTimer(
        match.kind === "found"
          ? `${match.route.method} ${match.route.pattern}`
          : mounted
            ? "mounted"
            : "unmatched",
      );
      if (tenant.companyId !== undefined) parts.activeTenants.record(tenant.companyId);
    }
    if (exchange.tenantError !== undefined) throw exchange.tenantError;
    if (match.kind === "found") {
      const context = createRequestContext({
        request,
        response,
        url,
        route: match.route.pattern,
        params: match.params,
        tenant,
        log,
        signal: exchange.signal,
        maxBodyBytes: parts.maxBodyBytes,
      });
      send(parts, exchange, await match.route.handler.handler(context));
    } else if (mounted !== undefined) {
      await mounted(request, response);
    } else if (match.kind === "method_not_allowed") {
      throw new ServiceError("METHOD_NOT_ALLOWED", `${method} is not allowed on ${url.pathname}`, {
        headers: { allow: match.allowed.join(", ") },
      });
    } else {
      throw new ServiceError("NOT_FOUND", `no route for ${method} ${url.pathname}`);
    }
  } catch (error) {
    sendError(parts, exchange, error, { method, route: routeName ?? url.pathname });
  }
}

function send(parts: PipelineParts, exchange: Exchange, result: unknown): void {
  const { response, tenant } = exchange;
  // The handler answered by itself.
  if (response.headersSent || response.writableEnded) return;
  closeIfStopping(parts, response);
  const envelope = (data: unknown) =>
    JSON.stringify(successEnvelope(data, { correlationId: tenant.correlationId, now: parts.clock.now() }));
  if (!(result instanceof Reply)) {
    writeBody(response, 200, {}, "application/json; charset=utf-8", envelope(result ?? null));
    return;
  }
  if (result.kind === "empty") {
    response.writeHead(result.status, { ...result.headers });
    response.end();
  } else if (result.kind === "envelope") {
    writeBody(
      response,
      result.status,
      result.headers,
      "application/json; charset=utf-8",
      envelope(result.body),
    );
  } else if (typeof result.body === "string") {
    writeBody(response, result.status, result.headers, "text/plain; charset=utf-8", result.body);
  } else if (result.body instanceof Uint8Array) {
    writeBody(response, result.status, result.headers, "application/octet-stream", result.body);
  } else {
    writeBody(
      response,
      result.status,
      result.headers,
      "application/json; charset=utf-8",
      JSON.stringify(result.body),
    );
  }
}

/** A response written while the service shuts down tells the client not to reuse the connection. */
function closeIfStopping(parts: PipelineParts, response: ServerResponse): void {
  if (parts.stopping()) response.setHeader("connection", "close");
}

function writeBody(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  defaultContentType: string,
  body: string | Uint8Array,
): void {
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  response.writeHead(status, {
    ...(hasContentType ? {} : { "content-type": defaultContentType }),
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function sendError(
  parts: PipelineParts,
  exchange: Exchange,
  error: unknown,
  where: { readonly method: string; readonly route: string },
): void {
  const { response, tenant, log } = exchange;
  const mapped = toServiceError(error, parts.errorMappers);
  if (mapped.status >= 500) {
    // The original error (not the generic INTERNAL wrapper) is what ErrorDNA should group.
    const original = mapped.code === "INTERNAL" && mapped.cause !== undefined ? mapped.cause : error;
    // Not `status`: ErrorDNA reads that as the status of a failed outgoing call, and 500 is our own answer.
    const analysis = parts.errorDna.analyze(original, { ...where, response_status: mapped.status });
    log.error({ err: original, status: mapped.status, errorDna: toLogFields(analysis) }, "request failed");
  } else {
    log.info({ status: mapped.status, code: mapped.wireCode, reason: mapped.message }, "request rejected");
  }
  if (response.headersSent || response.writableEnded) {
    // Part of a success was already sent: cut the connection so the client cannot take it for a whole answer.
    if (!response.writableEnded) response.destroy(error instanceof Error ? error : undefined);
    return;
  }
  closeIfStopping(parts, response);
  const body = JSON.stringify(
    errorEnvelope(mapped, { correlationId: tenant.correlationId, now: parts.clock.now() }),
  );
  writeBody(response, mapped.status, mapped.headers, "application/json; charset=utf-8", body);
}
