import { cors } from "@connectrpc/connect";
import type { NodeRequest, NodeResponse } from "./rest/json-io.js";

const allowMethods = [...new Set([...cors.allowedMethods, "PUT", "DELETE"])].join(", ");
const allowHeaders = [
  ...cors.allowedHeaders,
  "x-company-id",
  "x-user-id",
  "x-subscription-tier",
  "x-correlation-id",
].join(", ");
const exposeHeaders = [...cors.exposedHeaders, "x-correlation-id"].join(", ");

/**
 * Cross-origin access for browser clients (Connect and gRPC-web through @hub/client's web entry,
 * or fetch on the JSON paths). Only the configured origins get CORS headers; others get none,
 * so the browser blocks them. Returns true when it answered a preflight itself.
 */
export function createCorsHandler(
  allowedOrigins: readonly string[],
): (req: NodeRequest, res: NodeResponse) => boolean {
  const anyOrigin = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  return (req, res) => {
    const origin = req.headers.origin;
    if (typeof origin !== "string" || (!anyOrigin && !allowed.has(origin))) return false;
    res.setHeader("access-control-allow-origin", anyOrigin ? "*" : origin);
    if (!anyOrigin) res.setHeader("vary", "origin");
    res.setHeader("access-control-expose-headers", exposeHeaders);
    if (req.method !== "OPTIONS" || req.headers["access-control-request-method"] === undefined) return false;
    res.writeHead(204, {
      "access-control-allow-methods": allowMethods,
      "access-control-allow-headers": allowHeaders,
      "access-control-max-age": "7200",
    });
    res.end();
    return true;
  };
}
