import type { connectNodeAdapter } from "@connectrpc/connect-node";
import { Code } from "@connectrpc/connect";
import { HubError, hubErrorMapping } from "../../errors/hub-error.js";

/** A request or response of node:http or node:http2, as connect-node hands them over. */
export type NodeRequest = Parameters<ReturnType<typeof connectNodeAdapter>>[0];
export type NodeResponse = Parameters<ReturnType<typeof connectNodeAdapter>>[1];

/**
 * Reads a JSON request body of at most `limit` bytes. An empty body reads as `{}`.
 * @throws HubError PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE or INVALID_ARGUMENT (malformed JSON).
 */
export async function readJsonBody(req: NodeRequest, limit: number): Promise<unknown> {
  const type = req.headers["content-type"];
  if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HubError(
      "UNSUPPORTED_MEDIA_TYPE",
      `content-type: must be application/json, got ${type.slice(0, 80)}`,
    );
  }
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HubError("INVALID_ARGUMENT", `body: is not valid JSON (${(error as Error).message})`, {
      details: { field: "body" },
    });
  }
}

function tooLarge(limit: number): HubError {
  return new HubError("PAYLOAD_TOO_LARGE", `body: larger than the limit of ${limit} bytes`, {
    details: { field: "body", limit },
  });
}

export function sendJson(res: NodeResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

/** Sends text that is already JSON. */
export function sendJsonText(res: NodeResponse, status: number, payload: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

/** Sends JSON already encoded as UTF-8. */
export function sendJsonBytes(res: NodeResponse, status: number, payload: Uint8Array): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": payload.byteLength });
  res.end(payload);
}

export function sendNoContent(res: NodeResponse): void {
  res.writeHead(204);
  res.end();
}

/** Sends an error as `{"error": {"code", "message", ...details}}` with the mapped HTTP status. */
export function sendError(res: NodeResponse, error: unknown): void {
  const hubError =
    error instanceof HubError ? error : new HubError("INTERNAL", "internal error", { cause: error });
  const { connect, http } = hubErrorMapping[hubError.code];
  const code = Code[connect].replace(/[A-Z]/g, (c, i: number) =>
    i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`,
  );
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, http, { error: { code, message: hubError.message, ...(hubError.details ?? {}) } });
}
