import { describe, expect, it } from "vitest";
import { isBaseServiceError } from "../src/base-service-error.js";
import type { HealthReport } from "../src/health/index.js";
import { eventually, getJson, useResources } from "./support/resources.js";

interface InstanceView {
  id: string;
  port: number;
  status: string;
  version: string;
  health_endpoint: string;
  tags: string[];
  metadata: Record<string, string>;
  subscription_requirements: string[];
}

async function instances(hubUrl: string, name: string): Promise<InstanceView[]> {
  const answer = await getJson<{ instances: InstanceView[] }>(`${hubUrl}/services/${name}?legacy_mode=true`);
  return answer.status === 404 ? [] : answer.body.instances;
}

async function healthyEndpoints(hubUrl: string, name: string): Promise<string[]> {
  const answer = await getJson<{ all_healthy_endpoints: string[] }>(`${hubUrl}/services/discover/${name}`);
  return answer.body.all_healthy_endpoints;
}

describe("BaseService with a real hub", () => {
  const resources = useResources();

  it("registers, turns healthy through the hub's checks of /health, and is discovered by another client", async () => {
    const hub = await resources.hub();
    const { service } = resources.service({
      serviceName: "risk-management",
      version: "1.4.0",
      register: true,
      hubUrls: [hub.url],
      tags: ["risk"],
      metadata: { region: "eu" },
    });
    const { url, port } = await service.start();
    expect(service.registration()?.instanceId).toBe(`127.0.0.1-${port}`);

    const other = resources.client({ hubUrls: [hub.url] });
    const found = await eventually(async () => {
      const result = await other.discover("risk-management");
      expect(result.healthyAvailable).toBe(true);
      return result;
    });
    expect(found.recommended).toMatchObject({ port, url, status: "healthy", version: "1.4.0" });
    expect(await healthyEndpoints(hub.url, "risk-management")).toEqual([url]);
    expect((await instances(hub.url, "risk-management"))[0]).toMatchObject({
      health_endpoint: "/health",
      tags: ["risk"],
      metadata: { region: "eu" },
    });

    // The hub's link shows in /health for information.
    const health = await getJson<HealthReport>(`${url}/health`);
    expect(health.body.dependencies).toEqual({ "central-hub": "healthy" });
  });

  it("is taken out of the healthy endpoints while a dependency fails: degraded, then unhealthy when critical", async () => {
    const hub = await resources.hub();
    const state = { cache: true, database: true };
    const { service } = resources.service({ register: true, hubUrls: [hub.url] });
    service.addDependency("cache", () => state.cache);
    service.addDependency("database", () => state.database, { critical: true });
    const { url } = await service.start();
    await eventually(async () => expect(await healthyEndpoints(hub.url, "orders")).toEqual([url]));

    state.cache = false;
    await eventually(async () => expect((await instances(hub.url, "orders"))[0]?.status).toBe("degraded"));
    expect(await healthyEndpoints(hub.url, "orders")).toEqual([]);

    state.database = false;
    await eventually(async () => expect((await instances(hub.url, "orders"))[0]?.status).toBe("unhealthy"));

    state.cache = true;
    state.database = true;
    await eventually(async () => expect(await healthyEndpoints(hub.url, "orders")).toEqual([url]));
  });

  it("discovers other services as the request's tenant, so the hub filters by its tier", async () => {
    const hub = await resources.hub();
    const { service: premium } = resources.service({
      serviceName: "trading-engine",
      register: true,
      hubUrls: [hub.url],
      subscriptionRequirements: ["pro", "enterprise"],
    });
    const { url: premiumUrl } = await premium.start();
    const { service: gateway } = resources.service({
      serviceName: "api-gateway",
      register: true,
      hubUrls: [hub.url],
    });
    gateway.get("/where", async () => (await gateway.discover("trading-engine")).recommended.url);
    const { url } = await gateway.start();
    await eventually(async () =>
      expect(await healthyEndpoints(hub.url, "trading-engine")).toEqual([premiumUrl]),
    );

    const asPro = await getJson<{ data: string }>(`${url}/where`, {
      headers: { "x-subscription-tier": "pro" },
    });
    expect(asPro).toMatchObject({ status: 200, body: { data: premiumUrl } });
    const asFree = await getJson<{ error: unknown }>(`${url}/where`, {
      headers: { "x-subscription-tier": "free" },
    });
    expect(asFree).toMatchObject({
      status: 503,
      body: { error: { code: "unavailable", message: "a dependency is unavailable" } },
    });
  });

  it("shuts down gracefully: deregisters first, finishes the in-flight request, then closes", async () => {
    const hub = await resources.hub();
    const { service, logs } = resources.service({
      register: true,
      hubUrls: [hub.url],
      shutdownTimeoutMs: 10_000,
    });
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    service.post("/slow", async () => {
      entered();
      await gate;
      return { done: true };
    });
    const { url } = await service.start();
    await eventually(async () => expect(await healthyEndpoints(hub.url, "orders")).toEqual([url]));

    const inFlight = getJson<{ data: { done: boolean } }>(`${url}/slow`, { method: "POST" });
    await handlerEntered;
    const stopped = service.stop();
    expect(service.state()).toBe("stopping");

    // Deregistered from the hub while the request is still running.
    await eventually(async () => expect(await instances(hub.url, "orders")).toEqual([]));
    // No new connections.
    await eventually(() => expect(fetch(`${url}/health`)).rejects.toThrow());

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("connection")).toBe("close");
    expect(answer.body.data).toEqual({ done: true });
    await stopped;
    expect(service.state()).toBe("stopped");
    expect(logs.withMsg("stopped")[0]).toMatchObject({ abandoned_requests: 0 });
    expect(logs.withMsg("deregistered from the hub")).toHaveLength(1);
  });

  it("cuts off a request still running at the shutdown deadline and aborts its signal", async () => {
    const { service, logs } = resources.service({ shutdownTimeoutMs: 200 });
    let signal: AbortSignal | undefined;
    service.get("/hang", (ctx) => {
      signal = ctx.signal;
      return new Promise(() => {});
    });
    const { url } = await service.start();
    const hanging = fetch(`${url}/hang`).then(
      () => "answered",
      () => "cut off",
    );
    await eventually(() => expect(signal).toBeDefined());
    const started = Date.now();
    await service.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await hanging).toBe("cut off");
    expect(signal?.aborted).toBe(true);
    expect(logs.withMsg("stopped")[0]).toMatchObject({ abandoned_requests: 1 });
  });

  it("fails to start with REGISTRATION_FAILED when no hub answers in time and ends stopped", async () => {
    const { service } = resources.service({
      register: true,
      hubUrls: ["http://127.0.0.1:9"],
      registerTimeoutMs: 300,
    });
    await expect(service.start()).rejects.toSatisfy((error) =>
      isBaseServiceError(error, "REGISTRATION_FAILED"),
    );
    expect(service.state()).toBe("stopped");
  });

  it("stops retrying the registration when stopped during start", async () => {
    const { service } = resources.service({ register: true, hubUrls: ["http://127.0.0.1:9"] });
    const starting = service.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await service.stop();
    await expect(starting).rejects.toSatisfy((error) => isBaseServiceError(error, "REGISTRATION_FAILED"));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(service.state()).toBe("stopped");
  });
});
