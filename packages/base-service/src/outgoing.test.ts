import { describe, expect, it } from "vitest";
import { createTenantFetch, outgoingHeaders } from "./outgoing.js";
import { currentTenant, runWithTenant } from "./request-scope.js";
import type { TenantContext } from "./tenant-context.js";

const tenant: TenantContext = {
  companyId: "company_abc",
  userId: "user_123",
  subscriptionTier: "pro",
  correlationId: "req_456",
};

/** A fetch that records what it was asked and answers 204. */
function recordingFetch() {
  const calls: Array<{ input: unknown; headers: Headers }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({ input, headers: new Headers(init?.headers) });
    return new Response(null, { status: 204 });
  };
  return { calls, fetch };
}

function headersObject(headers: Headers | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  headers?.forEach((value, name) => {
    result[name] = value;
  });
  return result;
}

describe("outgoingHeaders", () => {
  it("is empty outside a request and carries the tenant inside one", () => {
    expect(outgoingHeaders()).toEqual({});
    expect(runWithTenant(tenant, () => outgoingHeaders())).toEqual({
      "x-company-id": "company_abc",
      "x-user-id": "user_123",
      "x-subscription-tier": "pro",
      "x-correlation-id": "req_456",
    });
  });

  it("keeps the tenant across awaits and timers", async () => {
    const seen = await runWithTenant(tenant, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await Promise.resolve();
      return new Promise((resolve) => setImmediate(() => resolve(currentTenant()?.companyId)));
    });
    expect(seen).toBe("company_abc");
    expect(currentTenant()).toBeUndefined();
  });
});

describe("createTenantFetch", () => {
  it("adds the tenant headers, leaving headers the caller set alone", async () => {
    const { calls, fetch } = recordingFetch();
    const tenantFetch = createTenantFetch(fetch);
    await runWithTenant(tenant, () =>
      tenantFetch("http://risk/validate", {
        headers: { "x-correlation-id": "own-id", accept: "application/json" },
      }),
    );
    expect(headersObject(calls[0]?.headers)).toEqual({
      accept: "application/json",
      "x-company-id": "company_abc",
      "x-user-id": "user_123",
      "x-subscription-tier": "pro",
      "x-correlation-id": "own-id",
    });
  });

  it("starts from a Request's own headers", async () => {
    const { calls, fetch } = recordingFetch();
    await runWithTenant(tenant, () =>
      createTenantFetch(fetch)(new Request("http://risk/validate", { headers: { "x-trace": "1" } })),
    );
    expect(calls[0]?.headers.get("x-trace")).toBe("1");
    expect(calls[0]?.headers.get("x-company-id")).toBe("company_abc");
  });

  it("passes the call through untouched outside a request", async () => {
    const { calls, fetch } = recordingFetch();
    await createTenantFetch(fetch)("http://risk/validate");
    expect(headersObject(calls[0]?.headers)).toEqual({});
  });
});
