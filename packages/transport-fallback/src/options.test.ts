import { createRouterTransport, type Transport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  defaultTransportFallbackOptions,
  resolveExecuteOptions,
  resolveTransportFallbackOptions,
} from "./options.js";
import { TransportFallbackError } from "./transport-fallback-error.js";

const custom: Transport = createRouterTransport(() => {});

function reasonOf(input: unknown): string {
  try {
    resolveTransportFallbackOptions(input);
  } catch (error) {
    if (error instanceof TransportFallbackError) return `${error.reason}: ${error.rawMessage}`;
    throw error;
  }
  throw new Error("expected the options to be rejected");
}

describe("resolveTransportFallbackOptions", () => {
  it("applies every default with only a base URL", () => {
    const resolved = resolveTransportFallbackOptions({ baseUrl: "http://127.0.0.1:7000" });
    expect(resolved).toMatchObject({
      baseUrl: "http://127.0.0.1:7000",
      order: ["http_protobuf", "http2_streaming", "http_json"],
      breaker: defaultTransportFallbackOptions.breaker,
      sticky: true,
      attemptTimeoutMs: null,
      defaultTimeoutMs: null,
      clock: defaultTransportFallbackOptions.clock,
      onEvent: null,
      interceptors: [],
      transports: {},
    });
  });

  it("pins the defaults", () => {
    expect(defaultTransportFallbackOptions.breaker).toEqual({
      windowMs: 10_000,
      minimumCalls: 5,
      failureRateThreshold: 0.5,
      cooldownMs: 10_000,
      halfOpenMaxCalls: 1,
    });
  });

  it("appends custom transports after the built-in ones, and lets one replace a built-in", () => {
    const resolved = resolveTransportFallbackOptions({
      baseUrl: "https://hub.internal",
      transports: { mesh: custom, http_json: custom },
    });
    expect(resolved.order).toEqual(["http_protobuf", "http2_streaming", "http_json", "mesh"]);
    expect(resolved.transports.http_json).toBe(custom);
  });

  it("needs no base URL when transports are given", () => {
    const resolved = resolveTransportFallbackOptions({ transports: { a: custom, b: custom } });
    expect(resolved.order).toEqual(["a", "b"]);
    expect(resolved.baseUrl).toBeNull();
  });

  it("keeps a partial breaker config's other defaults", () => {
    const resolved = resolveTransportFallbackOptions({ baseUrl: "http://x", breaker: { cooldownMs: 50 } });
    expect(resolved.breaker).toEqual({ ...defaultTransportFallbackOptions.breaker, cooldownMs: 50 });
  });

  it.each([
    [{}, "INVALID_OPTIONS: options: set baseUrl or transports, so there is at least one transport"],
    [{ baseUrl: "ftp://x" }, "INVALID_OPTIONS: baseUrl: must be an http: or https: URL"],
    [{ baseUrl: "not a url" }, "INVALID_OPTIONS: baseUrl: must be an http: or https: URL"],
    [
      { transports: { a: custom }, order: ["a", "http_json"] },
      'INVALID_OPTIONS: order.1: unknown transport "http_json" (built-in transports need baseUrl)',
    ],
    [{ baseUrl: "http://x", order: ["grpc"] }, 'INVALID_OPTIONS: order.0: unknown transport "grpc"'],
    [
      { baseUrl: "http://x", order: ["http_json", "http_json"] },
      'INVALID_OPTIONS: order.1: "http_json" is listed twice',
    ],
    [
      { baseUrl: "http://x", order: [] },
      "INVALID_OPTIONS: order: Too small: expected array to have >=1 items",
    ],
    [
      { transports: { a: {} } },
      "INVALID_OPTIONS: transports.a: must be a Connect Transport (with unary() and stream())",
    ],
    [
      { baseUrl: "http://x", breaker: { failureRateThreshold: 0 } },
      "INVALID_OPTIONS: breaker.failureRateThreshold: Too small: expected number to be >0",
    ],
    [
      { baseUrl: "http://x", breaker: { minimumCalls: 1.5 } },
      "INVALID_OPTIONS: breaker.minimumCalls: Invalid input: expected int, received number",
    ],
    [
      { baseUrl: "http://x", attemptTimeoutMs: 0 },
      "INVALID_OPTIONS: attemptTimeoutMs: Too small: expected number to be >=1",
    ],
    [{ baseUrl: "http://x", clock: {} }, "INVALID_OPTIONS: clock: must be an object with a now() method"],
    [{ baseUrl: "http://x", retries: 3 }, 'INVALID_OPTIONS: options: Unrecognized key: "retries"'],
  ])("rejects %j", (input, expected) => {
    expect(reasonOf(input)).toBe(expected);
  });
});

describe("resolveExecuteOptions", () => {
  it("defaults to a non-idempotent call labelled execute", () => {
    expect(resolveExecuteOptions(undefined)).toEqual({
      idempotent: false,
      label: "execute",
      signal: undefined,
      timeoutMs: undefined,
    });
  });

  it("rejects a bad timeout with the field's path", () => {
    expect(() => resolveExecuteOptions({ timeoutMs: -1 })).toThrow(/timeoutMs: Too small/);
  });
});
