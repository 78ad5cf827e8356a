import { type Client, Code, createClient } from "@connectrpc/connect";
import { ConfigService, SubscriptionTier, type WatchConfigResponse } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStore, type Store } from "../src/store/index.js";
import { connectErrorOf } from "./support/connect-error.js";
import { type ErrorJson, requestJson } from "./support/http-json.js";
import { type RunningHub, type StartHubOptions, startHub } from "./support/start-hub.js";
import { StreamReader } from "./support/stream-reader.js";
import { Teardown } from "./support/teardown.js";
import { type TransportKind, transportKinds } from "./support/transports.js";
import { waitFor } from "./support/wait-for.js";

const teardown = new Teardown();
afterEach(() => teardown.run());

const adminToken = "test-admin-token-0123456789";
const connectKinds = transportKinds.filter((k) => k.slug === "connect-bin" || k.slug === "connect-json");

/** The seed's pro tier, plus the resource limits the hub adds. */
const proDefaults = {
  rate_limits: { api_calls_per_hour: 10_000, websocket_connections: 50 },
  features: { basic_analytics: true, advanced_ai: true, custom_models: false },
  resource_limits: { max_concurrent_requests: 100, max_data_storage_mb: 1_000 },
};

interface DocumentJson {
  scope: string;
  tier?: string;
  tenant_id?: string;
  subscription_tier?: string;
  config: Record<string, unknown>;
  version: number;
  updated_at: string | null;
}

interface TenantConfigJson {
  tenant_id: string;
  subscription_tier: string;
  config: Record<string, unknown>;
  version: number;
}

async function hubWith(flags: string[] = [], options: StartHubOptions = {}): Promise<RunningHub> {
  return teardown.defer(await startHub(flags, options), (h) => h.close());
}

function configClient(kind: TransportKind, url: string): Client<typeof ConfigService> {
  const { transport, close } = teardown.defer(kind.open(url), (t) => t.close());
  void close;
  return createClient(ConfigService, transport);
}

function put<T = DocumentJson>(
  url: string,
  path: string,
  json: unknown,
  headers: Record<string, string> = {},
) {
  return requestJson<T & ErrorJson>(`${url}${path}`, { method: "PUT", json, headers });
}

function get<T>(url: string, path: string, headers: Record<string, string> = {}) {
  return requestJson<T & ErrorJson>(`${url}${path}`, { headers });
}

/** Opens a WatchConfig stream that teardown aborts before the hub closes. */
function watch(
  client: Client<typeof ConfigService>,
  request: Parameters<Client<typeof ConfigService>["watchConfig"]>[0],
) {
  const controller = teardown.defer(new AbortController(), (c) => c.abort());
  return new StreamReader<WatchConfigResponse>(client.watchConfig(request, { signal: controller.signal }));
}

describe("config over plain HTTP", () => {
  it("serves the seed's tier defaults, at version 0, before anything is written", async () => {
    const hub = await hubWith();
    const pro = await get<DocumentJson>(hub.url, "/config/tiers/pro");
    expect(pro.status).toBe(200);
    expect(pro.body).toEqual({
      scope: "tier",
      tier: "pro",
      config: proDefaults,
      version: 0,
      updated_at: null,
    });
    const free = await get<DocumentJson>(hub.url, "/config/tiers/free");
    expect(free.body.config).toMatchObject({
      rate_limits: { api_calls_per_hour: 1_000, websocket_connections: 5 },
    });
    const global = await get<DocumentJson>(hub.url, "/config/global");
    expect(global.body).toMatchObject({ scope: "global", config: {}, version: 0 });
  });

  it("answers GET /config/{tenant_id} in the seed's shape: tier defaults merged with the tenant's overrides", async () => {
    const hub = await hubWith();
    const written = await put(hub.url, "/config/company_abc", {
      subscription_tier: "pro",
      config: { rate_limits: { api_calls_per_hour: 20_000 }, features: { beta_charts: true } },
    });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({
      scope: "tenant",
      tenant_id: "company_abc",
      subscription_tier: "pro",
    });

    const answer = await get<TenantConfigJson>(hub.url, "/config/company_abc");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      tenant_id: "company_abc",
      subscription_tier: "pro",
      config: {
        rate_limits: { api_calls_per_hour: 20_000, websocket_connections: 50 },
        features: { basic_analytics: true, advanced_ai: true, custom_models: false, beta_charts: true },
        resource_limits: { max_concurrent_requests: 100, max_data_storage_mb: 1_000 },
      },
      version: written.body.version,
    });

    // A change to the tier's defaults reaches the tenant's effective config, with a newer version.
    const tier = await put(hub.url, "/config/tiers/pro", {
      config: { ...proDefaults, features: { advanced_ai: false } },
    });
    const after = await get<TenantConfigJson>(hub.url, "/config/company_abc");
    expect(after.body.config.features).toEqual({ advanced_ai: false, beta_charts: true });
    expect(after.body.version).toBe(tier.body.version);
    expect(after.body.version).toBeGreaterThan(written.body.version);
  });

  it("keeps a tenant's tier when a later write leaves it out, and requires one for a new tenant", async () => {
    const hub = await hubWith();
    const missing = await put(hub.url, "/config/newco", { config: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "invalid_argument", field: "subscription_tier" });
    await put(hub.url, "/config/newco", { subscription_tier: "enterprise", config: {} });
    await put(hub.url, "/config/newco", { config: { features: { custom_models: false } } });
    const answer = await get<TenantConfigJson>(hub.url, "/config/newco");
    expect(answer.body.subscription_tier).toBe("enterprise");
    expect(answer.body.config.features).toMatchObject({ custom_models: false, advanced_ai: true });
  });

  it("puts and gets the global config (the seed's update_global_config)", async () => {
    const hub = await hubWith();
    const body = { rate_limits: { free_tier: 50, pro_tier: 200, enterprise_tier: 1000 } };
    const written = await put(hub.url, "/config/global", { config: body });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ scope: "global", config: body });
    expect(written.body.version).toBeGreaterThan(0);
    const read = await get<DocumentJson>(hub.url, "/config/global");
    expect(read.body).toEqual(written.body);
  });

  it("answers 404 not_found for a tenant without config", async () => {
    const hub = await hubWith();
    const answer = await get<ErrorJson>(hub.url, "/config/nobody");
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: "not_found", message: "tenant nobody has no config" });
  });

  it.each([
    ["tiers", "tiers"],
    ["%67lobal", "global"],
  ])("refuses a tenant named %j (reserved for the global and tier paths)", async (path, name) => {
    const hub = await hubWith();
    const answer = await put(hub.url, `/config/${path}`, { subscription_tier: "pro", config: {} });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ field: "tenant_id", reason: `"${name}" is reserved` });
  });

  it("answers 400 for an unknown tier and unknown body fields", async () => {
    const hub = await hubWith();
    const tier = await get<ErrorJson>(hub.url, "/config/tiers/platinum");
    expect(tier.status).toBe(400);
    expect(tier.body.error).toMatchObject({ field: "tier" });
    const field = await put(hub.url, "/config/global", { config: {}, subscription_tier: "pro" });
    expect(field.status).toBe(400);
    expect(field.body.error).toMatchObject({ field: "subscription_tier" });
  });

  it("refuses a write whose expected_version is stale with 409 aborted", async () => {
    const hub = await hubWith();
    const first = await put(hub.url, "/config/global", { config: { a: 1 }, expected_version: 0 });
    expect(first.status).toBe(200);
    const second = await put(hub.url, "/config/global", {
      config: { a: 2 },
      expected_version: first.body.version,
    });
    expect(second.status).toBe(200);
    const stale = await put(hub.url, "/config/global", {
      config: { a: 3 },
      expected_version: first.body.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "aborted", field: "expected_version" });
    const created = await put(hub.url, "/config/global", { config: { a: 3 }, expected_version: 0 });
    expect(created.status).toBe(409);
    expect((await get<DocumentJson>(hub.url, "/config/global")).body.config).toEqual({ a: 2 });
  });

  it.each([
    {
      limit: "size",
      config: { blob: "x".repeat(40_000) },
      field: "config",
      reason: /over the limit of 32768/,
    },
    {
      limit: "nesting depth",
      config: JSON.parse(`${'{"a":'.repeat(20)}1${"}".repeat(20)}`) as unknown,
      field: `config${".a".repeat(16)}`,
      reason: /deeper than the limit of 16 levels/,
    },
    {
      limit: "key count",
      config: Object.fromEntries(Array.from({ length: 2_001 }, (_, i) => [`k${i}`, i])),
      field: "config",
      reason: /more than the limit of 2000 keys/,
    },
    { limit: "type", config: [1, 2], field: "config", reason: /must be a JSON object/ },
  ])(
    "answers 400 naming the field and the reason past the $limit limit",
    async ({ config, field, reason }) => {
      const hub = await hubWith();
      const answer = await put(hub.url, "/config/global", { config });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: "invalid_argument",
        field,
        reason: expect.stringMatching(reason),
      });
    },
  );

  it("keeps the versions before the current one, newest first, and deleting a tier restores the built-in defaults", async () => {
    const hub = await hubWith();
    const versions: number[] = [];
    for (const calls of [1, 2, 3]) {
      const answer = await put(hub.url, "/config/tiers/free", {
        config: { rate_limits: { api_calls_per_hour: calls } },
      });
      versions.push(answer.body.version);
    }
    const history = await get<{ versions: DocumentJson[] }>(hub.url, "/config/tiers/free/history");
    expect(history.body.versions.map((v) => [v.version, v.config])).toEqual([
      [versions[1], { rate_limits: { api_calls_per_hour: 2 } }],
      [versions[0], { rate_limits: { api_calls_per_hour: 1 } }],
    ]);
    const deleted = await requestJson<{ version: number }>(`${hub.url}/config/tiers/free`, {
      method: "DELETE",
    });
    expect(deleted.body.version).toBeGreaterThan(versions[2]!);
    const restored = await get<DocumentJson>(hub.url, "/config/tiers/free");
    expect(restored.body.config).toMatchObject({ rate_limits: { api_calls_per_hour: 1_000 } });
    expect(restored.body.version).toBe(deleted.body.version);
  });
});

describe("config permissions", () => {
  const tenantHeaders = (company: string) => ({ "x-company-id": company, "x-subscription-tier": "pro" });

  it("lets a trusted caller asserting company X read X only, and a gateway (no company) read any", async () => {
    const hub = await hubWith();
    await put(hub.url, "/config/acme", { subscription_tier: "pro", config: {} });
    await put(hub.url, "/config/globex", { subscription_tier: "free", config: {} });
    expect((await get(hub.url, "/config/acme", tenantHeaders("acme"))).status).toBe(200);
    const other = await get<ErrorJson>(hub.url, "/config/globex", tenantHeaders("acme"));
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: "permission_denied", field: "tenant_id" });
    expect((await get(hub.url, "/config/globex/history", tenantHeaders("acme"))).status).toBe(403);
    expect((await get(hub.url, "/config/globex")).status).toBe(200);
  });

  it("denies an untrusted caller every tenant's config, headers or not, but serves it the public documents", async () => {
    const hub = await hubWith(["--trust-tenant-headers", "never"]);
    await put(hub.url, "/config/acme", { subscription_tier: "pro", config: {} });
    for (const headers of [{}, tenantHeaders("acme")]) {
      const answer = await get<ErrorJson>(hub.url, "/config/acme", headers);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe("permission_denied");
    }
    expect((await get(hub.url, "/config/global", tenantHeaders("acme"))).status).toBe(200);
    expect((await get(hub.url, "/config/tiers/enterprise")).status).toBe(200);
  });

  it("requires the admin token for writes when one is set: none or a wrong one is 401", async () => {
    const hub = await hubWith(["--admin-token", adminToken]);
    const none = await put(hub.url, "/config/global", { config: { a: 1 } });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: "unauthenticated", field: "authorization" });
    const wrong = await put(
      hub.url,
      "/config/global",
      { config: { a: 1 } },
      { authorization: "Bearer nope" },
    );
    expect(wrong.status).toBe(401);
    // Refused before the body is read: a stranger's bad body gets 401, not a validation answer.
    const badBody = await put(hub.url, "/config/global", { config: "not an object", extra: true });
    expect(badBody.status).toBe(401);
    const deleting = await requestJson<ErrorJson>(`${hub.url}/config/global`, { method: "DELETE" });
    expect(deleting.status).toBe(401);
    const right = await put(
      hub.url,
      "/config/global",
      { config: { a: 1 } },
      { authorization: `Bearer ${adminToken}` },
    );
    expect(right.status).toBe(200);
  });

  it("refuses writes from a remote peer when no admin token is set, and accepts its token when one is", async () => {
    const open = await hubWith([], { peerAddress: "203.0.113.9" });
    const refused = await put(open.url, "/config/global", { config: { a: 1 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("permission_denied");
    expect((await get(open.url, "/config/global")).status).toBe(200);

    const guarded = await hubWith(["--admin-token", adminToken], { peerAddress: "203.0.113.9" });
    const accepted = await put(
      guarded.url,
      "/config/global",
      { config: { a: 1 } },
      { authorization: `Bearer ${adminToken}` },
    );
    expect(accepted.status).toBe(200);
  });
});

describe.each(connectKinds)("ConfigService over $name", (kind) => {
  it("puts and gets the global config, tier defaults and a tenant's effective config", async () => {
    const hub = await hubWith();
    const client = configClient(kind, hub.url);
    const tier = await client.getConfig({ scope: { kind: { case: "tier", value: SubscriptionTier.PRO } } });
    expect(tier.document?.config).toEqual(proDefaults);
    expect(tier.document?.version).toBe(0n);

    const global = await client.putConfig({
      scope: { kind: { case: "global", value: true } },
      config: { maintenance: { enabled: false, window: ["sat", "sun"] } },
    });
    expect(global.document?.version).toBeGreaterThan(0n);
    const read = await client.getConfig({ scope: { kind: { case: "global", value: true } } });
    expect(read.document?.config).toEqual({ maintenance: { enabled: false, window: ["sat", "sun"] } });

    await client.putConfig({
      scope: { kind: { case: "tenantId", value: "acme" } },
      subscriptionTier: SubscriptionTier.PRO,
      config: { features: { custom_models: true } },
    });
    const effective = await client.getTenantConfig({ tenantId: "acme" });
    expect(effective.tenantConfig).toMatchObject({
      tenantId: "acme",
      subscriptionTier: SubscriptionTier.PRO,
    });
    expect(effective.tenantConfig?.config?.features).toEqual({
      basic_analytics: true,
      advanced_ai: true,
      custom_models: true,
    });
  });

  it("answers Aborted to a stale expected_version, NotFound to an unknown tenant, InvalidArgument past a limit", async () => {
    const hub = await hubWith();
    const client = configClient(kind, hub.url);
    const scope = { kind: { case: "global" as const, value: true } };
    const first = await client.putConfig({ scope, config: { a: 1 }, expectedVersion: 0n });
    await client.putConfig({ scope, config: { a: 2 } });
    const stale = await connectErrorOf(
      client.putConfig({ scope, config: { a: 3 }, expectedVersion: first.document!.version }),
    );
    expect(stale.code).toBe(Code.Aborted);
    const unknown = await connectErrorOf(client.getTenantConfig({ tenantId: "nobody" }));
    expect(unknown.code).toBe(Code.NotFound);
    const big = await connectErrorOf(client.putConfig({ scope, config: { blob: "x".repeat(40_000) } }));
    expect(big.code).toBe(Code.InvalidArgument);
    expect(big.rawMessage).toMatch(/^config: is \d+ bytes as JSON, over the limit of 32768$/);
    const noScope = await connectErrorOf(client.getConfig({}));
    expect(noScope.code).toBe(Code.InvalidArgument);
    const reserved = await connectErrorOf(
      client.putConfig({
        scope: { kind: { case: "tenantId", value: "global" } },
        subscriptionTier: SubscriptionTier.PRO,
        config: {},
      }),
    );
    expect(reserved.code).toBe(Code.InvalidArgument);
    expect(reserved.rawMessage).toBe('scope.tenant_id: "global" is reserved');
  });

  it("answers Unauthenticated to a write without the admin token, PermissionDenied to another company's read", async () => {
    const hub = await hubWith(["--admin-token", adminToken]);
    const client = configClient(kind, hub.url);
    const scope = { kind: { case: "tenantId" as const, value: "acme" } };
    const denied = await connectErrorOf(
      client.putConfig({ scope, subscriptionTier: SubscriptionTier.FREE, config: {} }),
    );
    expect(denied.code).toBe(Code.Unauthenticated);
    await client.putConfig(
      { scope, subscriptionTier: SubscriptionTier.FREE, config: {} },
      { headers: { authorization: `Bearer ${adminToken}` } },
    );
    const other = await connectErrorOf(
      client.getConfig({ scope }, { headers: { "x-company-id": "globex" } }),
    );
    expect(other.code).toBe(Code.PermissionDenied);
    const own = await client.getConfig({ scope }, { headers: { "x-company-id": "acme" } });
    expect(own.document?.subscriptionTier).toBe(SubscriptionTier.FREE);
  });

  it("watches a document: the current value with its version, then every change", async () => {
    const hub = await hubWith();
    const client = configClient(kind, hub.url);
    const scope = { kind: { case: "global" as const, value: true } };
    const reader = watch(client, { scope });
    const first = await reader.next();
    expect(first).toMatchObject({ version: 0n, absent: false });
    expect(first.value.case === "document" && first.value.value.config).toEqual({});

    const written = await client.putConfig({ scope, config: { rate_limits: { free_tier: 50 } } });
    const change = await reader.next();
    expect(change.version).toBe(written.document!.version);
    expect(change.value.case === "document" && change.value.value.config).toEqual({
      rate_limits: { free_tier: 50 },
    });
  });

  it("watches a tenant's effective config through tier changes, and reports a deleted tenant as absent", async () => {
    const hub = await hubWith();
    const client = configClient(kind, hub.url);
    const tenant = { kind: { case: "tenantId" as const, value: "acme" } };
    const reader = watch(client, { scope: tenant, effective: true });
    expect(await reader.next()).toMatchObject({ version: 0n, absent: true });

    await client.putConfig({
      scope: tenant,
      subscriptionTier: SubscriptionTier.FREE,
      config: { features: { beta: true } },
    });
    const created = await reader.next();
    const value = created.value.case === "tenantConfig" ? created.value.value : undefined;
    expect(value?.config?.features).toEqual({
      basic_analytics: true,
      advanced_ai: false,
      custom_models: false,
      beta: true,
    });

    const tier = await client.putConfig({
      scope: { kind: { case: "tier", value: SubscriptionTier.FREE } },
      config: { features: { advanced_ai: true } },
    });
    const retiered = await reader.next();
    expect(retiered.version).toBe(tier.document!.version);
    expect(retiered.value.case === "tenantConfig" && retiered.value.value.config?.features).toEqual({
      advanced_ai: true,
      beta: true,
    });

    await client.deleteConfig({ scope: tenant });
    expect(await reader.next()).toMatchObject({ absent: true });
  });

  it("resumes from a version: nothing while it is current, the current value when it is not", async () => {
    const hub = await hubWith();
    const client = configClient(kind, hub.url);
    const scope = { kind: { case: "global" as const, value: true } };
    const v1 = (await client.putConfig({ scope, config: { v: 1 } })).document!.version;
    const current = watch(client, { scope, fromVersion: v1 });
    const v2 = (await client.putConfig({ scope, config: { v: 2 } })).document!.version;
    // The first message is the change after v1, not a repeat of v1.
    expect(await current.next()).toMatchObject({ version: v2 });

    const behind = watch(client, { scope, fromVersion: v1 });
    const caughtUp = await behind.next();
    expect(caughtUp.version).toBe(v2);
    expect(caughtUp.value.case === "document" && caughtUp.value.value.config).toEqual({ v: 2 });
  });

  it("ends open watches when the hub begins to shut down, so closing it is not held up", async () => {
    const hub = await startHub();
    const client = configClient(kind, hub.url);
    const reader = new StreamReader(client.watchConfig({ scope: { kind: { case: "global", value: true } } }));
    await reader.next();
    hub.hub.beginShutdown(); // what main.ts does on SIGTERM before closing the listener
    await expect(reader.next()).rejects.toThrow();
    await hub.close(); // rejects if a stream were still open after the grace period
  });
});

describe("two hubs over one store", () => {
  it("see each other's writes, and a watch on one sees a write made through the other", async () => {
    const store = createMemoryStore();
    // Only the last hub to close may close the store; the first gets a view that ignores close().
    const shared = new Proxy(store, {
      get: (target, key: keyof Store) =>
        key === "close" ? async () => {} : (target[key] as (...args: unknown[]) => unknown).bind(target),
    });
    const a = await hubWith([], { store });
    const b = await hubWith([], { store: shared });
    const client = configClient(connectKinds[0]!, b.url);
    const reader = watch(client, { scope: { kind: { case: "tenantId", value: "acme" } }, effective: true });
    expect(await reader.next()).toMatchObject({ absent: true });

    const written = await put(a.url, "/config/acme", {
      subscription_tier: "pro",
      config: { features: { x: 1 } },
    });
    expect(written.status).toBe(200);
    const seen = await reader.next();
    expect(seen.version).toBe(BigInt(written.body.version));
    const read = await waitFor(
      "hub b to serve the write made through hub a",
      () => get<TenantConfigJson>(b.url, "/config/acme"),
      (answer) => answer.status === 200,
    );
    expect(read.body.config.features).toMatchObject({ x: 1, advanced_ai: true });
  });
});
