import { Code, ConnectError } from "@connectrpc/connect";
import { TransportFallbackError } from "@hub/transport-fallback";
import { describe, expect, it } from "vitest";
import { connectCodeOf, type HubClientErrorCode } from "./error-codes.js";
import { HubClientError, isHubClientError } from "./hub-client-error.js";

const reasons = Object.keys(connectCodeOf) as HubClientErrorCode[];

describe("HubClientError", () => {
  it.each(reasons)("%s is a ConnectError with its one Connect code", (reason) => {
    const error = new HubClientError(reason, "lower-case message", new Error("cause"));
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.code).toBe(connectCodeOf[reason]);
    expect(error.reason).toBe(reason);
    expect(error.rawMessage).toBe("lower-case message");
    expect(error.cause).toEqual(new Error("cause"));
    expect(isHubClientError(error, reason)).toBe(true);
  });

  it("maps each reason to a distinct, meaningful code", () => {
    expect(connectCodeOf).toEqual({
      INVALID_OPTIONS: Code.InvalidArgument,
      NOT_FOUND: Code.NotFound,
      UNAVAILABLE: Code.Unavailable,
      ABORTED: Code.Canceled,
      CLOSED: Code.FailedPrecondition,
    });
  });

  it("is not claimed by other ConnectErrors", () => {
    const others = [
      new ConnectError("x", Code.NotFound),
      new TransportFallbackError("ALL_TRANSPORTS_FAILED", "x"),
      new Error("x"),
      { name: "ConnectError", reason: "NOT_FOUND" },
    ];
    for (const other of others) {
      expect(other instanceof HubClientError).toBe(false);
      expect(isHubClientError(other)).toBe(false);
    }
    expect(isHubClientError(new HubClientError("CLOSED", "x"), "NOT_FOUND")).toBe(false);
  });
});
