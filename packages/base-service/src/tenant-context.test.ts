import { describe, expect, it } from "vitest";
import { isServiceError } from "./service-error.js";
import { parseTenantHeaders, parseTier, readCorrelationId, tenantToHeaders } from "./tenant-context.js";

const newId = () => "generated-id";

describe("parseTenantHeaders", () => {
  it("reads every tenant header into a typed context", () => {
    const tenant = parseTenantHeaders({
      "x-company-id": "company_abc",
      "x-user-id": "user_123",
      "x-subscription-tier": "pro",
      "x-correlation-id": "req_456",
    });
    expect(tenant).toEqual({
      companyId: "company_abc",
      userId: "user_123",
      subscriptionTier: "pro",
      correlationId: "req_456",
    });
  });

  it("leaves absent and empty headers out and makes a correlation id", () => {
    expect(parseTenantHeaders({ "x-company-id": "  " }, { newCorrelationId: newId })).toEqual({
      correlationId: "generated-id",
    });
  });

  it.each([
    ["PRO", "pro"],
    ["Enterprise", "enterprise"],
    [" free ", "free"],
  ])("reads tier %j as %j", (raw, tier) => {
    expect(parseTenantHeaders({ "x-subscription-tier": raw }).subscriptionTier).toBe(tier);
  });

  it("answers an unknown tier with a 400 naming the header and the accepted values", () => {
    try {
      parseTenantHeaders({ "x-subscription-tier": "gold" });
      expect.unreachable();
    } catch (error) {
      expect(isServiceError(error, "INVALID_ARGUMENT")).toBe(true);
      expect((error as Error).message).toBe(
        'x-subscription-tier: must be free, pro or enterprise, not "gold"',
      );
    }
  });

  it.each([
    ["x-company-id", "a".repeat(257), "x-company-id: must be at most 256 characters"],
    ["x-user-id", "user\u0000x", "x-user-id: must not contain control characters"],
  ])("refuses %s = %j", (header, value, message) => {
    expect(() => parseTenantHeaders({ [header]: value })).toThrow(message);
  });

  it("takes maxLength from the options", () => {
    expect(() => parseTenantHeaders({ "x-company-id": "abcd" }, { maxLength: 3 })).toThrow(
      "at most 3 characters",
    );
  });

  it("refuses a tenant header repeated with different values, accepts repeats of the same", () => {
    expect(() => parseTenantHeaders({ "x-company-id": ["company_a", "company_b"] })).toThrow(
      "x-company-id: was sent more than once with different values",
    );
    expect(parseTenantHeaders({ "x-company-id": ["company_a", "company_a"] }).companyId).toBe("company_a");
  });
});

describe("readCorrelationId", () => {
  it.each([
    ["req_456", "req_456"],
    ["a.b:c-d_e", "a.b:c-d_e"],
    ["has space", "generated-id"],
    ["x".repeat(129), "generated-id"],
    ["inject\r\nx: y", "generated-id"],
    ["", "generated-id"],
  ])("keeps a sane id and replaces anything else: %j", (value, expected) => {
    expect(readCorrelationId({ "x-correlation-id": value }, newId)).toBe(expected);
  });

  it("makes a UUID by default", () => {
    expect(readCorrelationId({})).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("parseTier", () => {
  it("refuses an overlong value without echoing all of it", () => {
    expect(() => parseTier("x".repeat(1000))).toThrow(/not "x{64}"$/);
  });
});

describe("tenantToHeaders", () => {
  it("writes the set fields as x-* headers", () => {
    expect(tenantToHeaders({ companyId: "c", subscriptionTier: "free", correlationId: "r" })).toEqual({
      "x-company-id": "c",
      "x-subscription-tier": "free",
      "x-correlation-id": "r",
    });
    expect(tenantToHeaders({})).toEqual({});
  });
});
