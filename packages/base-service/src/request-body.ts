import type { IncomingMessage } from "node:http";
import { ServiceError } from "./service-error.js";

/** Options of {@link readBody} and {@link readJsonBody}. */
export interface ReadBodyOptions {
  /** Largest body accepted, in bytes; a larger one is a `PAYLOAD_TOO_LARGE` (413). Default: 1048576 (1 MiB). */
  maxBytes?: number;
}

/** The default of {@link ReadBodyOptions.maxBytes}. */
export const defaultMaxBodyBytes = 1_048_576;

// The connection cannot be reused once a body was left half read: the 413 closes it.
const closeConnection = { connection: "close" } as const;

function tooLarge(maxBytes: number): ServiceError {
  return new ServiceError("PAYLOAD_TOO_LARGE", `request body is over the limit of ${maxBytes} bytes`, {
    details: { limit: maxBytes },
    headers: closeConnection,
  });
}

/**
 * Reads a request body into memory, refusing one over `maxBytes` before reading it when
 * `content-length` says so, and as soon as the count passes the limit otherwise (chunked bodies).
 * @throws ServiceError PAYLOAD_TOO_LARGE over the limit; INVALID_ARGUMENT when the client aborted.
 */
export function readBody(request: IncomingMessage, options: ReadBodyOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? defaultMaxBodyBytes;
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("close", onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) {
        cleanup();
        // Stop reading; the 413 answer closes the connection and with it the rest of the upload.
        request.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new ServiceError("INVALID_ARGUMENT", "request body could not be read", { cause: error }));
    };
    // "close" before "end": the client went away mid-body.
    const onClose = () => onError(new Error("the client closed the request before its end"));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onError);
    request.once("close", onClose);
  });
}

/** True for `application/json` and `application/*+json`, with or without parameters. */
export function isJsonContentType(contentType: string): boolean {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/**
 * Accepts a JSON `content-type`, or none at all (clients that send JSON without saying so).
 * @throws ServiceError UNSUPPORTED_MEDIA_TYPE (415) for any other media type.
 * @internal
 */
export function assertJsonContentType(contentType: string | undefined): void {
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    throw new ServiceError(
      "UNSUPPORTED_MEDIA_TYPE",
      `content-type must be application/json, not ${contentType}`,
    );
  }
}

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions extends ReadBodyOptions {
  /** Whether an empty body is an error (true) or reads as undefined (false). Default: true. */
  required?: boolean;
}

/**
 * Reads and parses a JSON body, answering the usual mistakes with a clear 4xx: a `content-type`
 * that is present but not JSON is a 415, an empty body a 400 (unless `required: false`), and text
 * that does not parse a 400 that says where.
 * @throws ServiceError UNSUPPORTED_MEDIA_TYPE, INVALID_ARGUMENT, PAYLOAD_TOO_LARGE.
 */
export async function readJsonBody(
  request: IncomingMessage,
  options: ReadJsonBodyOptions = {},
): Promise<unknown> {
  assertJsonContentType(request.headers["content-type"]);
  const body = await readBody(request, options);
  return parseJsonText(body.toString("utf8"), options.required ?? true);
}

/**
 * Parses a request body's text as JSON.
 * @throws ServiceError INVALID_ARGUMENT for an empty body (when `required`) or text that is not JSON.
 * @internal
 */
export function parseJsonText(text: string, required: boolean): unknown {
  if (text.trim() === "") {
    if (required) throw new ServiceError("INVALID_ARGUMENT", "request body is empty; expected JSON");
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceError("INVALID_ARGUMENT", `request body is not valid JSON: ${reason}`, { cause: error });
  }
}
