import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { assertJsonContentType, parseJsonText, readBody } from "./request-body.js";
import { ServiceError } from "./service-error.js";
import type { TenantContext } from "./tenant-context.js";
import { describeValidationError } from "./validation-issues.js";

/** What a route handler gets about its request. */
export interface RequestContext {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The matched route's pattern (e.g. `/orders/:id`); undefined for a mounted handler. */
  readonly route: string | undefined;
  /** Values of the pattern's `:name` segments (and `*`), URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The validated tenant headers; also available anywhere below as `currentTenant()`. */
  readonly tenant: TenantContext;
  /** The request's logger: every line carries `correlation_id` and the tenant. Same as `logger()`. */
  readonly log: Logger;
  /** Aborts when the client goes away or a shutdown deadline passes: pass it on to slow work. */
  readonly signal: AbortSignal;
  /** The raw Node request, for what the context does not cover (streaming uploads). */
  readonly request: IncomingMessage;
  /** The raw Node response: a handler that writes and ends it itself should return nothing. */
  readonly response: ServerResponse;
  /**
   * The body's bytes, at most the service's `maxBodyBytes`; read once and kept, so calling again is free.
   * @throws ServiceError PAYLOAD_TOO_LARGE (413).
   */
  body(): Promise<Buffer>;
  /**
   * The body parsed as JSON, then passed through `validate` when given (a zod schema's `parse`
   * works: its issues become the 400's message).
   * @throws ServiceError UNSUPPORTED_MEDIA_TYPE (415) when `content-type` is present and not JSON;
   *   INVALID_ARGUMENT (400) when the body is empty, not JSON or rejected by `validate`; PAYLOAD_TOO_LARGE (413).
   */
  json<T = unknown>(validate?: (value: unknown) => T): Promise<T>;
}

/** The parts a {@link RequestContext} is made of. @internal */
export interface RequestContextParts {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly route: string | undefined;
  readonly params: Readonly<Record<string, string>>;
  readonly tenant: TenantContext;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly maxBodyBytes: number;
}

/** Builds a handler's {@link RequestContext}. @internal */
export function createRequestContext(parts: RequestContextParts): RequestContext {
  let body: Promise<Buffer> | undefined;
  const readOnce = () => {
    body ??= readBody(parts.request, { maxBytes: parts.maxBodyBytes });
    return body;
  };
  return {
    method: parts.request.method ?? "GET",
    path: parts.url.pathname,
    route: parts.route,
    params: parts.params,
    query: parts.url.searchParams,
    headers: parts.request.headers,
    tenant: parts.tenant,
    log: parts.log,
    signal: parts.signal,
    request: parts.request,
    response: parts.response,
    body: readOnce,
    async json<T>(validate?: (value: unknown) => T): Promise<T> {
      assertJsonContentType(parts.request.headers["content-type"]);
      const value = parseJsonText((await readOnce()).toString("utf8"), true);
      if (validate === undefined) return value as T;
      try {
        return validate(value);
      } catch (error) {
        throw validationError(error);
      }
    },
  };
}

/** A validator's failure as a 400 that names each bad field. */
function validationError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  return new ServiceError("INVALID_ARGUMENT", describeValidationError(error, "body"), { cause: error });
}
