import type { NodeRequest, NodeResponse } from "./rest/json-io.js";
import { sendJson } from "./rest/json-io.js";

/**
 * Answers a path no service serves in the caller's own protocol: gRPC and gRPC-web clients get
 * status 12 (UNIMPLEMENTED) in a trailers-only response, Connect clients get `unimplemented`,
 * anything else a plain JSON 404.
 */
export function answerUnknownRoute(req: NodeRequest, res: NodeResponse): void {
  const type = req.headers["content-type"] ?? "";
  const message = `no such method: ${req.url ?? ""}`;
  if (type.startsWith("application/grpc")) {
    res.writeHead(200, {
      "content-type": type,
      "grpc-status": "12",
      "grpc-message": encodeURIComponent(message),
    });
    res.end();
    return;
  }
  if (/^application\/(connect\+)?(json|proto)/.test(type)) {
    sendJson(res, 404, { code: "unimplemented", message });
    return;
  }
  sendJson(res, 404, { error: { code: "not_found", message: `no such path: ${req.url ?? ""}` } });
}
