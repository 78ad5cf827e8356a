import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { HubError } from "../errors/hub-error.js";
import {
  createHeaderTenantContextResolver,
  isLoopbackAddress,
  type RequestHeaders,
  resolveTenantContext,
  type TenantHeaderTrust,
} from "./index.js";

const enterprise = { "x-company-id": "acme", "x-user-id": "u-1", "x-subscription-tier": "enterprise" };
const asserted = { companyId: "acme", userId: "u-1", tier: "enterprise", trusted: true, legacy: false };
const restricted = { tier: "free", trusted: false, legacy: false };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function resolve(
  headers: RequestHeaders,
  remoteAddress: string | undefined,
  policy: TenantHeaderTrust = "loopback",
) {
  return resolveTenantContext(headers, { remoteAddress }, policy);
}

describe("resolveTenantContext", () => {
  it.each([
    ["loopback", "127.0.0.1", asserted],
    ["loopback", "127.200.3.4", asserted],
    ["loopback", "::1", asserted],
    ["loopback", "::ffff:127.0.0.1", asserted],
    ["loopback", "10.0.0.5", restricted],
    ["loopback", "::ffff:10.0.0.5", restricted],
    ["loopback", "fe80::1", restricted],
    ["loopback", "128.0.0.1", restricted],
    ["loopback", undefined, restricted],
    ["always", "10.0.0.5", asserted],
    ["always", undefined, asserted],
    ["never", "127.0.0.1", restricted],
    ["never", "::1", restricted],
  ] as const)("policy %s, peer %s, enterprise headers -> %j", (policy, peer, expected) => {
    const context = resolve(enterprise, peer, policy);
    expect(context).toMatchObject(expected);
    if (!expected.trusted) {
      expect(context.companyId).toBeUndefined();
      expect(context.userId).toBeUndefined();
    }
  });

  it("gives a non-loopback caller claiming enterprise the free tier (spoofing)", () => {
    const context = resolve({ "x-subscription-tier": "enterprise", "x-company-id": "victim" }, "203.0.113.9");
    expect(context).toEqual({
      tier: "free",
      correlationId: expect.any(String),
      trusted: false,
      legacy: false,
    });
  });

  it.each([
    { header: "x-company-id", value: "acme" },
    { header: "x-user-id", value: "u-1" },
    { header: "x-subscription-tier", value: "pro" },
  ])("treats an untrusted caller sending only $header as restricted, not legacy", ({ header, value }) => {
    expect(resolve({ [header]: value }, "10.0.0.5")).toMatchObject(restricted);
  });

  it.each([
    ["loopback", "127.0.0.1", true],
    ["loopback", "10.0.0.5", false],
    ["always", "10.0.0.5", true],
    ["never", "127.0.0.1", false],
  ] as const)(
    "marks a caller without tenant headers legacy (policy %s, peer %s)",
    (policy, peer, trusted) => {
      const context = resolve({ "content-type": "application/json" }, peer, policy);
      expect(context).toEqual({ correlationId: expect.any(String), trusted, legacy: true });
    },
  );

  it("treats blank tenant headers as absent", () => {
    expect(resolve({ "x-company-id": "  ", "x-subscription-tier": "" }, "10.0.0.5")).toMatchObject({
      legacy: true,
    });
  });

  it("keeps fields a trusted caller leaves out undefined", () => {
    const context = resolve({ "x-company-id": "acme" }, "127.0.0.1");
    expect(context).toEqual({
      companyId: "acme",
      correlationId: expect.any(String),
      trusted: true,
      legacy: false,
    });
  });

  it.each([
    ["node headers", { "x-company-id": "acme", "x-subscription-tier": "pro" } satisfies IncomingHttpHeaders],
    ["mixed-case record", { "X-Company-Id": "acme", "X-SUBSCRIPTION-TIER": "pro" }],
    ["fetch Headers", new Headers({ "X-Company-Id": "acme", "x-subscription-tier": "pro" })],
  ])("reads %s", (_kind, headers) => {
    expect(resolve(headers, "127.0.0.1")).toMatchObject({ companyId: "acme", tier: "pro", trusted: true });
  });

  it.each([
    ["enterprise", "enterprise"],
    ["Enterprise", "enterprise"],
    [" PRO ", "pro"],
    ["free", "free"],
  ])("accepts tier %j as %s", (value, tier) => {
    expect(resolve({ "x-subscription-tier": value }, "127.0.0.1").tier).toBe(tier);
  });

  it.each([
    [{ "x-subscription-tier": "gold" }, "x-subscription-tier: must be free, pro or enterprise"],
    [{ "x-subscription-tier": ["pro", "free"] }, "x-subscription-tier: must be free, pro or enterprise"],
    [{ "x-company-id": "a".repeat(129) }, "x-company-id: must be 1-128 printable characters without spaces"],
    [{ "x-company-id": "acme corp" }, "x-company-id: must be 1-128 printable characters without spaces"],
    [{ "x-company-id": "acme\u0007" }, "x-company-id: must be 1-128 printable characters without spaces"],
    [{ "x-company-id": "acmé" }, "x-company-id: must be 1-128 printable characters without spaces"],
    [{ "x-company-id": ["a", "b"] }, "x-company-id: must be 1-128 printable characters without spaces"],
    [{ "x-user-id": "u".repeat(200) }, "x-user-id: must be 1-128 printable characters without spaces"],
  ])("rejects %j from a trusted caller", (headers, message) => {
    let thrown: unknown;
    try {
      resolve(headers, "127.0.0.1");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HubError);
    expect(thrown).toMatchObject({ code: "INVALID_ARGUMENT", message });
  });

  it("does not validate headers it ignores: an untrusted caller gets free, not an error", () => {
    expect(resolve({ "x-subscription-tier": "gold", "x-company-id": "a b" }, "10.0.0.5")).toMatchObject(
      restricted,
    );
  });

  it("accepts ids of exactly 128 printable characters", () => {
    const id = `${"a".repeat(120)}:-_.@/+!`;
    expect(resolve({ "x-company-id": id }, "127.0.0.1").companyId).toBe(id);
  });

  it.each([
    ["req-123", "req-123"],
    ["a.b:c_d-e", "a.b:c_d-e"],
    ["x".repeat(128), "x".repeat(128)],
  ])("keeps a sane correlation id %j", (value, expected) => {
    expect(resolve({ "x-correlation-id": value }, "10.0.0.5").correlationId).toBe(expected);
  });

  it.each([
    ["absent", undefined],
    ["too long", "x".repeat(129)],
    ["spaces", "a b"],
    ["newline", "a\nb"],
    ["injection", 'abc"}, {"admin": true'],
    ["repeated", ["a", "b"]],
  ])("makes a new correlation id when it is %s", (_why, value) => {
    const headers = value === undefined ? {} : { "X-Correlation-Id": value };
    const context = resolve(headers, "127.0.0.1");
    expect(context.correlationId).toMatch(UUID);
  });

  it("makes a different correlation id for each request", () => {
    expect(resolve({}, "127.0.0.1").correlationId).not.toBe(resolve({}, "127.0.0.1").correlationId);
  });
});

describe("createHeaderTenantContextResolver", () => {
  it("resolves through the resolver interface", async () => {
    const resolver = createHeaderTenantContextResolver("never");
    await expect(
      resolver.resolve({ headers: enterprise, peer: { remoteAddress: "127.0.0.1" } }),
    ).resolves.toMatchObject(restricted);
  });

  it("rejects with the validation error", async () => {
    const resolver = createHeaderTenantContextResolver("always");
    const request = { headers: { "x-subscription-tier": "gold" }, peer: { remoteAddress: "10.0.0.1" } };
    await expect(resolver.resolve(request)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

describe("isLoopbackAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["::FFFF:127.1.2.3", true],
    ["10.0.0.1", false],
    ["1.127.0.0", false],
    ["::ffff:192.168.0.1", false],
    ["::2", false],
    ["localhost", false],
    ["", false],
    [undefined, false],
  ])("%j -> %s", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
