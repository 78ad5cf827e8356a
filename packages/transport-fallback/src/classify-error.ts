import { Code, ConnectError } from "@connectrpc/connect";
import { nodeErrorChain } from "./error-chain.js";

/** Which kind of transport failure an error proves. */
export type TransportFailureReason =
  /** The TCP connection was refused (`ECONNREFUSED`). */
  | "connection_refused"
  /** The host name did not resolve (`ENOTFOUND`, `EAI_AGAIN`, ...). */
  | "dns_failure"
  /** `connect()` failed for another reason: no route, host down, connect timeout. */
  | "network_unreachable"
  /** An established connection or stream broke (`ECONNRESET`, `EPIPE`, an HTTP/2 reset). */
  | "connection_reset"
  /** The peer or a proxy said it is unavailable (`Code.Unavailable`, HTTP 429/502/503/504). */
  | "unavailable"
  /** The peer does not speak this protocol (HTTP 404/415 without a Connect body, wrong content type, an HTTP parse or HTTP/2 protocol error). */
  | "protocol_mismatch"
  /** The attempt's own time ran out without an answer. */
  | "timeout";

/**
 * Whether the request may have reached the server. `"not_sent"` only when the failure proves that
 * nothing was delivered: the connection was never made, or the peer refused the stream before
 * processing it (HTTP/2 `REFUSED_STREAM`, RFC 9113 §8.7).
 */
export type Delivery = "not_sent" | "maybe_sent";

/** What an error from one attempt means for fallback. */
export type ErrorClassification =
  /** A transport failure: another transport may succeed. */
  | {
      readonly kind: "transport";
      readonly reason: TransportFailureReason;
      readonly delivery: Delivery;
      /** What gave it away, for logs: a Node error code, `"HTTP 415"`, an HTTP/2 reset code, a Connect code. */
      readonly evidence: string;
    }
  /** The server answered in this protocol (an error status, or an auth rejection): fallback cannot help. */
  | { readonly kind: "application" }
  /** Not provably a transport failure; surfaced unchanged, never a reason to fall back. */
  | { readonly kind: "unrecognized" };

const refusedCodes = new Set(["ECONNREFUSED"]);
const dnsCodes = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const unreachableCodes = new Set([
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "ETIMEDOUT",
]);
const resetCodes = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_STREAM_DESTROYED",
  "ERR_SOCKET_CLOSED",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
]);
const protocolCodes = new Set(["ERR_HTTP2_ERROR", "ERR_HTTP2_PROTOCOL_ERROR", "ERR_INVALID_HTTP_RESPONSE"]);

// connect-es turns a bare HTTP status (no Connect or gRPC error in the body) into a ConnectError
// with the raw message "HTTP <status>"; see codeFromHttpStatus in protocol-connect/http-status.ts.
const protocolStatuses = new Set([400, 404, 405, 406, 415, 501, 505]);
const unavailableStatuses = new Set([429, 502, 503, 504]);
const authStatuses = new Set([401, 403]);

// connect-node's names for HTTP/2 RST_STREAM codes (connectErrorFromH2ResetCode in node-error.ts).
const h2ResetReasons: Readonly<Record<string, readonly [TransportFailureReason, Delivery]>> = {
  REFUSED_STREAM: ["unavailable", "not_sent"],
  ENHANCE_YOUR_CALM: ["unavailable", "maybe_sent"],
  HTTP_1_1_REQUIRED: ["protocol_mismatch", "maybe_sent"],
  INADEQUATE_SECURITY: ["protocol_mismatch", "maybe_sent"],
  PROTOCOL_ERROR: ["protocol_mismatch", "maybe_sent"],
  CANCEL: ["connection_reset", "maybe_sent"],
  INTERNAL_ERROR: ["connection_reset", "maybe_sent"],
  FLOW_CONTROL_ERROR: ["connection_reset", "maybe_sent"],
  SETTINGS_TIMEOUT: ["connection_reset", "maybe_sent"],
  FRAME_SIZE_ERROR: ["connection_reset", "maybe_sent"],
  COMPRESSION_ERROR: ["connection_reset", "maybe_sent"],
  CONNECT_ERROR: ["connection_reset", "maybe_sent"],
};

function transport(
  reason: TransportFailureReason,
  delivery: Delivery,
  evidence: string,
): ErrorClassification {
  return { kind: "transport", reason, delivery, evidence };
}

/**
 * Classifies an error thrown by one transport attempt. Only failures that prove the transport (not
 * the application) failed are `"transport"`; anything the server said in its own protocol is
 * `"application"`, and anything else is `"unrecognized"`. Cancellation by the caller is not decided
 * here: the manager checks the caller's signal before it asks.
 *
 * @example
 * classifyError(new ConnectError("HTTP 415", Code.Unknown));
 * // { kind: "transport", reason: "protocol_mismatch", delivery: "maybe_sent", evidence: "HTTP 415" }
 */
export function classifyError(error: unknown): ErrorClassification {
  const connectError = ConnectError.from(error);
  if (connectError.isWireError) {
    // The peer spoke this protocol and sent a status. Only "unavailable" is about the path to the
    // service (a proxy or load balancer with no healthy upstream) rather than the service itself.
    return connectError.code === Code.Unavailable
      ? transport("unavailable", "maybe_sent", "wire unavailable")
      : { kind: "application" };
  }
  return fromNodeChain(error) ?? fromConnectError(connectError);
}

function fromNodeChain(error: unknown): ErrorClassification | undefined {
  for (const { code, syscall } of nodeErrorChain(error)) {
    if (refusedCodes.has(code)) return transport("connection_refused", "not_sent", code);
    if (dnsCodes.has(code)) return transport("dns_failure", "not_sent", code);
    // The same codes on an established socket (no "connect" syscall) may follow a sent request.
    if (unreachableCodes.has(code)) {
      return syscall === "connect"
        ? transport("network_unreachable", "not_sent", code)
        : transport("connection_reset", "maybe_sent", code);
    }
    if (resetCodes.has(code)) return transport("connection_reset", "maybe_sent", code);
    // llhttp's parse errors (HPE_*): the reply was not HTTP/1.x, e.g. an HTTP/2-only server.
    if (protocolCodes.has(code) || code.startsWith("HPE_")) {
      return transport("protocol_mismatch", "maybe_sent", code);
    }
  }
  return undefined;
}

function fromConnectError(error: ConnectError): ErrorClassification {
  const status = /^HTTP (\d{3})$/.exec(error.rawMessage);
  if (status) {
    const code = Number(status[1]);
    const evidence = `HTTP ${code}`;
    if (protocolStatuses.has(code)) return transport("protocol_mismatch", "maybe_sent", evidence);
    if (unavailableStatuses.has(code)) return transport("unavailable", "maybe_sent", evidence);
    // A proxy's 401/403 rejects the caller, not the protocol: every transport would get the same.
    if (authStatuses.has(code)) return { kind: "application" };
    return { kind: "unrecognized" };
  }
  if (error.rawMessage.startsWith("unsupported content type")) {
    return transport("protocol_mismatch", "maybe_sent", "content type");
  }
  const reset = /^http\/2 stream closed with error code ([A-Z0-9_]+)/.exec(error.rawMessage);
  const resetReason = reset ? h2ResetReasons[reset[1]!] : undefined;
  if (reset && resetReason) return transport(resetReason[0], resetReason[1], reset[1]!);
  if (error.code === Code.DeadlineExceeded) return transport("timeout", "maybe_sent", "deadline_exceeded");
  if (error.code === Code.Unavailable) return transport("unavailable", "maybe_sent", "unavailable");
  return { kind: "unrecognized" };
}
