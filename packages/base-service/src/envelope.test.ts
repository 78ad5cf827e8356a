import { describe, expect, it } from "vitest";
import { errorEnvelope, successEnvelope } from "./envelope.js";
import { ServiceError } from "./service-error.js";

const now = Date.UTC(2026, 0, 20, 10, 30);

describe("successEnvelope", () => {
  it("wraps data with the correlation id and an ISO timestamp", () => {
    expect(successEnvelope({ id: "o-1" }, { correlationId: "req_456", now })).toEqual({
      success: true,
      data: { id: "o-1" },
      error: null,
      correlation_id: "req_456",
      timestamp: "2026-01-20T10:30:00.000Z",
    });
  });
});

describe("errorEnvelope", () => {
  it("sends the lower-case code and the message, never the cause", () => {
    const error = new ServiceError("NOT_FOUND", "order o-9 does not exist", { cause: new Error("secret") });
    const envelope = errorEnvelope(error, { correlationId: "req_1", now });
    expect(envelope).toEqual({
      success: false,
      data: null,
      error: { code: "not_found", message: "order o-9 does not exist" },
      correlation_id: "req_1",
      timestamp: "2026-01-20T10:30:00.000Z",
    });
    expect(JSON.stringify(envelope)).not.toContain("secret");
  });

  it("includes details when there are some", () => {
    const error = new ServiceError("PAYLOAD_TOO_LARGE", "too big", { details: { limit: 10 } });
    expect(errorEnvelope(error, { correlationId: "c", now }).error).toEqual({
      code: "payload_too_large",
      message: "too big",
      details: { limit: 10 },
    });
  });
});
