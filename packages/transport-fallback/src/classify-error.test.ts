import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { classifyError } from "./classify-error.js";

const allCodes = Object.values(Code).filter((value): value is Code => typeof value === "number");

function nodeError(code: string, syscall?: string): Error {
  return Object.assign(new Error(`${syscall ?? "read"} ${code}`), { code, ...(syscall ? { syscall } : {}) });
}

// How connect-node reports a Node error: a ConnectError whose cause is the Node error.
function wrapped(cause: Error, code = Code.Internal): ConnectError {
  return new ConnectError(cause.message, code, undefined, undefined, cause);
}

function wireError(code: Code, message = "from the server"): ConnectError {
  const error = new ConnectError(message, code);
  error.isWireError = true;
  return error;
}

describe("classifyError", () => {
  it("has a case for every Connect code", () => {
    expect(allCodes).toHaveLength(16);
  });

  it.each(allCodes.map((code) => [Code[code], code] as const))(
    "treats a %s sent by the server as an application error, except unavailable",
    (_name, code) => {
      const expected =
        code === Code.Unavailable
          ? { kind: "transport", reason: "unavailable", delivery: "maybe_sent", evidence: "wire unavailable" }
          : { kind: "application" };
      expect(classifyError(wireError(code))).toEqual(expected);
    },
  );

  it.each(allCodes.map((code) => [Code[code], code] as const))(
    "classifies a client-side %s without any transport evidence",
    (_name, code) => {
      const expected =
        code === Code.Unavailable
          ? { kind: "transport", reason: "unavailable", delivery: "maybe_sent", evidence: "unavailable" }
          : code === Code.DeadlineExceeded
            ? { kind: "transport", reason: "timeout", delivery: "maybe_sent", evidence: "deadline_exceeded" }
            : { kind: "unrecognized" };
      expect(classifyError(new ConnectError("something went wrong", code))).toEqual(expected);
    },
  );

  it.each([
    ["ECONNREFUSED", "connect", Code.Unavailable, "connection_refused", "not_sent"],
    ["ENOTFOUND", "getaddrinfo", Code.Unavailable, "dns_failure", "not_sent"],
    ["EAI_AGAIN", "getaddrinfo", Code.Unavailable, "dns_failure", "not_sent"],
    ["EAI_FAIL", "getaddrinfo", Code.Internal, "dns_failure", "not_sent"],
    ["EHOSTUNREACH", "connect", Code.Internal, "network_unreachable", "not_sent"],
    ["ENETUNREACH", "connect", Code.Internal, "network_unreachable", "not_sent"],
    ["EADDRNOTAVAIL", "connect", Code.Internal, "network_unreachable", "not_sent"],
    ["ETIMEDOUT", "connect", Code.Unavailable, "network_unreachable", "not_sent"],
    ["ETIMEDOUT", "read", Code.Unavailable, "connection_reset", "maybe_sent"],
    ["EHOSTUNREACH", "write", Code.Internal, "connection_reset", "maybe_sent"],
    ["ECONNRESET", "read", Code.Aborted, "connection_reset", "maybe_sent"],
    ["EPIPE", "write", Code.Internal, "connection_reset", "maybe_sent"],
    ["ECONNABORTED", "read", Code.Internal, "connection_reset", "maybe_sent"],
    ["ERR_STREAM_PREMATURE_CLOSE", undefined, Code.Internal, "connection_reset", "maybe_sent"],
    ["ERR_STREAM_DESTROYED", undefined, Code.Aborted, "connection_reset", "maybe_sent"],
    ["ERR_HTTP2_STREAM_ERROR", undefined, Code.Internal, "connection_reset", "maybe_sent"],
    ["ERR_HTTP2_SESSION_ERROR", undefined, Code.Internal, "connection_reset", "maybe_sent"],
    ["ERR_HTTP2_GOAWAY_SESSION", undefined, Code.Internal, "connection_reset", "maybe_sent"],
    ["ERR_HTTP2_INVALID_SESSION", undefined, Code.Internal, "connection_reset", "maybe_sent"],
    ["ERR_HTTP2_ERROR", undefined, Code.Internal, "protocol_mismatch", "maybe_sent"],
    ["HPE_INVALID_CONSTANT", undefined, Code.Internal, "protocol_mismatch", "maybe_sent"],
    ["HPE_INVALID_HEADER_TOKEN", undefined, Code.Internal, "protocol_mismatch", "maybe_sent"],
  ] as const)(
    "classifies Node error %s (syscall %s) wrapped as %s",
    (nodeCode, syscall, code, reason, delivery) => {
      expect(classifyError(wrapped(nodeError(nodeCode, syscall), code))).toEqual({
        kind: "transport",
        reason,
        delivery,
        evidence: nodeCode,
      });
    },
  );

  it.each([
    [400, Code.Internal, "protocol_mismatch"],
    [404, Code.Unimplemented, "protocol_mismatch"],
    [405, Code.Unknown, "protocol_mismatch"],
    [406, Code.Unknown, "protocol_mismatch"],
    [415, Code.Unknown, "protocol_mismatch"],
    [501, Code.Unknown, "protocol_mismatch"],
    [505, Code.Unknown, "protocol_mismatch"],
    [429, Code.Unavailable, "unavailable"],
    [502, Code.Unavailable, "unavailable"],
    [503, Code.Unavailable, "unavailable"],
    [504, Code.Unavailable, "unavailable"],
  ] as const)("treats a bare HTTP %i (mapped to code %i) as %s", (status, code, reason) => {
    expect(classifyError(new ConnectError(`HTTP ${status}`, code))).toEqual({
      kind: "transport",
      reason,
      delivery: "maybe_sent",
      evidence: `HTTP ${status}`,
    });
  });

  it.each([
    [401, Code.Unauthenticated],
    [403, Code.PermissionDenied],
  ] as const)(
    "treats a bare HTTP %i as an application error: every transport would be rejected",
    (status, code) => {
      expect(classifyError(new ConnectError(`HTTP ${status}`, code))).toEqual({ kind: "application" });
    },
  );

  it.each([500, 302, 418])("does not guess about a bare HTTP %i", (status) => {
    expect(classifyError(new ConnectError(`HTTP ${status}`, Code.Unknown))).toEqual({ kind: "unrecognized" });
  });

  it("trusts a Connect error body over an HTTP status: unimplemented from the server is final", () => {
    expect(classifyError(wireError(Code.Unimplemented, "HTTP 404"))).toEqual({ kind: "application" });
  });

  it.each([
    ["unsupported content type text/html", Code.Internal],
    ["unsupported content type null", Code.Unknown],
  ] as const)("treats %j as a protocol mismatch", (message, code) => {
    expect(classifyError(new ConnectError(message, code))).toEqual({
      kind: "transport",
      reason: "protocol_mismatch",
      delivery: "maybe_sent",
      evidence: "content type",
    });
  });

  it.each([
    ["REFUSED_STREAM", 0x7, Code.Unavailable, "unavailable", "not_sent"],
    ["ENHANCE_YOUR_CALM", 0xb, Code.ResourceExhausted, "unavailable", "maybe_sent"],
    ["HTTP_1_1_REQUIRED", 0xd, Code.PermissionDenied, "protocol_mismatch", "maybe_sent"],
    ["INADEQUATE_SECURITY", 0xc, Code.PermissionDenied, "protocol_mismatch", "maybe_sent"],
    ["PROTOCOL_ERROR", 0x1, Code.Internal, "protocol_mismatch", "maybe_sent"],
    ["CANCEL", 0x8, Code.Canceled, "connection_reset", "maybe_sent"],
    ["INTERNAL_ERROR", 0x2, Code.Internal, "connection_reset", "maybe_sent"],
    ["FLOW_CONTROL_ERROR", 0x3, Code.Internal, "connection_reset", "maybe_sent"],
    ["SETTINGS_TIMEOUT", 0x4, Code.Internal, "connection_reset", "maybe_sent"],
    ["FRAME_SIZE_ERROR", 0x6, Code.Internal, "connection_reset", "maybe_sent"],
    ["COMPRESSION_ERROR", 0x9, Code.Internal, "connection_reset", "maybe_sent"],
    ["CONNECT_ERROR", 0xa, Code.Internal, "connection_reset", "maybe_sent"],
  ] as const)("classifies an HTTP/2 %s reset", (name, rst, code, reason, delivery) => {
    const error = new ConnectError(
      `http/2 stream closed with error code ${name} (0x${rst.toString(16)})`,
      code,
    );
    expect(classifyError(error)).toEqual({ kind: "transport", reason, delivery, evidence: name });
  });

  it("finds a Node error several causes deep", () => {
    const inner = nodeError("ECONNREFUSED", "connect");
    const middle = new Error("request failed", { cause: inner });
    expect(classifyError(wrapped(middle, Code.Unknown))).toMatchObject({ reason: "connection_refused" });
  });

  it("classifies a raw Node error, as thrown by code run through execute()", () => {
    expect(classifyError(nodeError("ENOTFOUND", "getaddrinfo"))).toMatchObject({ reason: "dns_failure" });
  });

  it("stops at a cause that points back at an ancestor", () => {
    const error = new Error("loop");
    error.cause = error;
    expect(classifyError(error)).toEqual({ kind: "unrecognized" });
  });

  it.each([
    ["a string", "boom"],
    ["undefined", undefined],
    ["a TypeError", new TypeError("x is not a function")],
    ["an AbortError", new DOMException("This operation was aborted", "AbortError")],
    ["a Node error with an unknown code", nodeError("ERR_SOMETHING_ELSE")],
  ])("leaves %s unrecognized", (_name, value) => {
    expect(classifyError(value)).toEqual({ kind: "unrecognized" });
  });
});
