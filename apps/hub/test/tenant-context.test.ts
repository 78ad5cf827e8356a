import { Code, ConnectError } from "@connectrpc/connect";
import { SubscriptionTier } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectErrorOf } from "./support/connect-error.js";
import {
  type DiscoverJson,
  type ErrorJson,
  mustRegisterJson,
  requestJson,
  type ServiceJson,
} from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { openClients, transportKinds } from "./support/transports.js";

const premium = "tenant-premium";
const open = "tenant-public";

/** Tenant headers of a company on `tier`, as an API gateway forwards them. */
function tenant(tier: string): Record<string, string> {
  return { "x-company-id": `company-${tier}`, "x-user-id": `user-${tier}`, "x-subscription-tier": tier };
}

let running: RunningHub;
beforeAll(async () => {
  running = await startHub();
  await mustRegisterJson(running.url, {
    name: premium,
    host: "127.0.0.1",
    port: 9301,
    subscription_requirements: ["pro", "enterprise"],
    health_check: { disabled: true },
  });
  await mustRegisterJson(running.url, {
    name: open,
    host: "127.0.0.1",
    port: 9302,
    health_check: { disabled: true },
  });
});
afterAll(async () => {
  await running?.close();
});

async function listedNames(path: string, headers: Record<string, string>): Promise<string[]> {
  const answer = await requestJson<{ services: ServiceJson[] }>(`${running.url}${path}`, { headers });
  expect(answer.status).toBe(200);
  return answer.body.services.map((s) => s.name);
}

describe("tenant context on the plain JSON paths", () => {
  it.each([
    { caller: "a free tenant", path: "/services/", headers: tenant("free"), sees: false },
    { caller: "a pro tenant", path: "/services/", headers: tenant("pro"), sees: true },
    { caller: "an enterprise tenant", path: "/services/", headers: tenant("enterprise"), sees: true },
    { caller: "a caller without tenant headers", path: "/services/", headers: {}, sees: true },
    {
      caller: "a free tenant in legacy mode",
      path: "/services/?legacy_mode=true",
      headers: tenant("free"),
      sees: true,
    },
  ])("lists the pro-only service to $caller: $sees", async ({ path, headers, sees }) => {
    const names = await listedNames(path, headers);
    expect(names).toContain(open);
    expect(names.includes(premium)).toBe(sees);
  });

  it.each([
    ["GET", `/services/${premium}`],
    ["GET", `/services/discover/${premium}`],
    ["POST", "/services/discover"],
  ])("answers 404 to a free tenant's %s %s of the pro-only service", async (method, path) => {
    const answer = await requestJson<ErrorJson>(`${running.url}${path}`, {
      method,
      headers: tenant("free"),
      ...(method === "POST" ? { json: { name: premium } } : {}),
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("not_found");
  });

  it("lets a pro tenant discover the pro-only service", async () => {
    const answer = await requestJson<DiscoverJson>(`${running.url}/services/discover/${premium}`, {
      headers: tenant("pro"),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.recommended_endpoint).toBe("http://127.0.0.1:9301");
  });

  it.each([
    { tier: "free", sees: false },
    { tier: "pro", sees: true },
  ])(
    "shows the pro-only service in GET /health/services to a $tier tenant: $sees",
    async ({ tier, sees }) => {
      const answer = await requestJson<Record<string, unknown>>(`${running.url}/health/services`, {
        headers: tenant(tier),
      });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body)).toContain(open);
      expect(Object.keys(answer.body).includes(premium)).toBe(sees);
    },
  );

  it.each(["platinum", "FREE-ish", "pro,enterprise"])("answers 400 to the tier header %j", async (tier) => {
    const answer = await requestJson<ErrorJson>(`${running.url}/services/`, {
      headers: { "x-subscription-tier": tier },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "invalid_argument", field: "x-subscription-tier" });
  });

  it.each([
    { outcome: "a success", method: "GET", path: "/services/", headers: {} },
    { outcome: "a 404", method: "GET", path: "/services/no-such-service", headers: {} },
    { outcome: "a 405", method: "DELETE", path: "/health", headers: {} },
    {
      outcome: "a 400 for a bad tier",
      method: "GET",
      path: "/services/",
      headers: { "x-subscription-tier": "platinum" },
    },
  ])("echoes x-correlation-id on $outcome", async ({ method, path, headers }) => {
    const correlationId = `corr-${Math.random().toString(36).slice(2)}`;
    const answer = await requestJson(`${running.url}${path}`, {
      method,
      headers: { ...headers, "x-correlation-id": correlationId },
    });
    expect(answer.headers.get("x-correlation-id")).toBe(correlationId);
  });

  it.each([
    ["too long", "x".repeat(129)],
    ["containing a space", "corr id"],
  ])("replaces an x-correlation-id that is %s with a fresh one", async (_label, sent) => {
    const answer = await requestJson(`${running.url}/health`, { headers: { "x-correlation-id": sent } });
    const echoed = answer.headers.get("x-correlation-id");
    expect(echoed).not.toBe(sent);
    expect(echoed).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });

  it("sends a fresh x-correlation-id when the request has none", async () => {
    const first = await requestJson(`${running.url}/health`);
    const second = await requestJson(`${running.url}/health`);
    expect(first.headers.get("x-correlation-id")).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(second.headers.get("x-correlation-id")).not.toBe(first.headers.get("x-correlation-id"));
  });
});

describe.each(transportKinds)("tenant context over $name", (kind) => {
  it("lists the pro-only service to pro but not to free, and to free in legacy mode", async () => {
    const clients = openClients(kind, running.url);
    try {
      const names = async (tier: string, legacyMode = false) =>
        (await clients.registry.listServices({ legacyMode }, { headers: tenant(tier) })).services.map(
          (s) => s.name,
        );
      expect(await names("free")).toEqual([open]);
      expect(await names("pro")).toEqual([premium, open]);
      expect(await names("free", true)).toEqual([premium, open]);
      const listed = await clients.registry.listServices({});
      expect(listed.services.find((s) => s.name === premium)?.subscriptionRequirements).toEqual([
        SubscriptionTier.PRO,
        SubscriptionTier.ENTERPRISE,
      ]);
    } finally {
      clients.close();
    }
  });

  it("answers NotFound to a free tenant discovering the pro-only service", async () => {
    const clients = openClients(kind, running.url);
    try {
      const error = await connectErrorOf(
        clients.discovery.discover({ name: premium }, { headers: tenant("free") }),
      );
      expect(error.code).toBe(Code.NotFound);
      const got = await connectErrorOf(
        clients.registry.getService({ name: premium }, { headers: tenant("free") }),
      );
      expect(got.code).toBe(Code.NotFound);
      const allowed = await clients.discovery.discover({ name: premium }, { headers: tenant("enterprise") });
      expect(allowed.recommendedEndpoint).toBe("http://127.0.0.1:9301");
    } finally {
      clients.close();
    }
  });

  it("hides the pro-only service from a free tenant's GetServicesHealth", async () => {
    const clients = openClients(kind, running.url);
    try {
      const free = await clients.health.getServicesHealth({}, { headers: tenant("free") });
      expect(Object.keys(free.services)).toEqual([open]);
      const pro = await clients.health.getServicesHealth({}, { headers: tenant("pro") });
      expect(Object.keys(pro.services).sort()).toEqual([open, premium].sort());
    } finally {
      clients.close();
    }
  });

  it("answers InvalidArgument to an invalid tier header", async () => {
    const clients = openClients(kind, running.url);
    try {
      const error = await connectErrorOf(
        clients.registry.listServices({}, { headers: { "x-subscription-tier": "platinum" } }),
      );
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toContain("x-subscription-tier");
    } finally {
      clients.close();
    }
  });

  it("echoes x-correlation-id on a success", async () => {
    const clients = openClients(kind, running.url);
    try {
      let echoed: string | null = null;
      await clients.registry.listServices(
        {},
        {
          headers: { "x-correlation-id": "corr-ok-1" },
          onHeader: (headers) => (echoed = headers.get("x-correlation-id")),
        },
      );
      expect(echoed).toBe("corr-ok-1");
    } finally {
      clients.close();
    }
  });

  it.each([
    { outcome: "NotFound", headers: {}, name: "no-such-service" },
    { outcome: "InvalidArgument for a bad name", headers: {}, name: "Bad_Name" },
    { outcome: "InvalidArgument for a bad tier", headers: { "x-subscription-tier": "platinum" }, name: open },
  ])("echoes x-correlation-id on $outcome", async ({ headers, name }) => {
    const clients = openClients(kind, running.url);
    try {
      const error = await connectErrorOf(
        clients.discovery.discover({ name }, { headers: { ...headers, "x-correlation-id": "corr-err-1" } }),
      );
      expect(error).toBeInstanceOf(ConnectError);
      expect(error.metadata.get("x-correlation-id")).toBe("corr-err-1");
    } finally {
      clients.close();
    }
  });
});
