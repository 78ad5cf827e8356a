import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExampleService, startExampleService } from "./helpers/example-service.js";
import {
  type DiscoveryView,
  getJson,
  healthyService,
  listAllServices,
  requestJson,
  type ServiceView,
  tenant,
} from "./helpers/hub-api.js";
import { type HubProcess, startHub } from "./helpers/hub-process.js";
import { createProcessGroup } from "./helpers/process-group.js";
import { createTempDir, type TempDir } from "./helpers/temp-dir.js";
import { waitFor } from "./helpers/wait-for.js";

/** What trading-engine's POST /orders answers (trading-engine/place-order.ts). */
interface OrderAnswer {
  status: "accepted" | "rejected";
  order_id: string | null;
  price: number;
  risk: { approved: boolean; reasons: string[]; subscription_tier: string; tenant: Record<string, string> };
  calls: { service: string; endpoint: string; url: string; status: number; healthy_endpoints: string[] }[];
}

function placeOrder(url: string, headers: Record<string, string>, quantity = 10) {
  return requestJson<OrderAnswer>("POST", `${url}/orders`, {
    headers,
    body: { symbol: "EURUSD", side: "buy", quantity },
  });
}

function discover(hubUrl: string, name: string, strategy?: string) {
  const query = strategy === undefined ? "" : `?strategy=${strategy}`;
  return getJson<DiscoveryView>(`${hubUrl}/services/discover/${name}${query}`);
}

/** Names, instance ids and registration times: what a restart must not change. */
function registrySnapshot(services: ServiceView[]) {
  return services
    .map((service) => ({
      name: service.name,
      instances: service.instances
        .map((instance) => ({
          id: instance.id,
          endpoint: instance.endpoint,
          registered_at: instance.registered_at,
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe("example services through a real hub", () => {
  const group = createProcessGroup();
  let dataDir: TempDir | undefined;
  let hub: HubProcess;
  let dataBridge: ExampleService;
  let riskA: ExampleService;
  let riskB: ExampleService;
  let trading: ExampleService;

  beforeAll(async () => {
    dataDir = await createTempDir("hub-examples-e2e");
    hub = await startHub(group, { dataDir: dataDir.path });
    [dataBridge, riskA, riskB, trading] = await Promise.all([
      startExampleService(group, "data-bridge", hub.url),
      startExampleService(group, "risk-management", hub.url),
      startExampleService(group, "risk-management", hub.url),
      startExampleService(group, "trading-engine", hub.url),
    ]);
  });

  afterAll(async () => {
    await group.stopAll();
    await dataDir?.remove();
  });

  it("registers all three services and the hub's checks find them healthy", async () => {
    const bridge = await waitFor("data-bridge healthy", () => healthyService(hub.url, "data-bridge", 1));
    const risk = await waitFor("both risk-management healthy", () =>
      healthyService(hub.url, "risk-management", 2),
    );
    const engine = await waitFor("trading-engine healthy", () =>
      healthyService(hub.url, "trading-engine", 1),
    );

    expect(bridge.instances.map((i) => i.endpoint)).toEqual([dataBridge.url]);
    expect(risk.instances.map((i) => i.endpoint).sort()).toEqual([riskA.url, riskB.url].sort());
    expect(engine.instances.map((i) => i.endpoint)).toEqual([trading.url]);
    expect(engine.subscription_requirements).toEqual(["pro", "enterprise"]);

    const health = await getJson<Record<string, { service_name: string; status: string }>>(
      `${hub.url}/health/services`,
    );
    expect(health.status).toBe(200);
    for (const name of ["data-bridge", "risk-management", "trading-engine"]) {
      expect(health.body[name]).toMatchObject({ service_name: name, status: "healthy" });
    }
  });

  it("serves the standard health format from each service", async () => {
    const answer = await getJson<Record<string, unknown>>(`${dataBridge.url}/health`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ service_name: "data-bridge", status: "healthy", version: "1.0.0" });
    for (const key of [
      "timestamp",
      "uptime_seconds",
      "performance_metrics",
      "system_resources",
      "dependencies",
    ]) {
      expect(answer.body).toHaveProperty(key);
    }
    expect(answer.body).toHaveProperty("tenant_context.tenant_isolation_status", "healthy");
    expect(answer.body).toHaveProperty("dependencies.central-hub", "healthy");
  });

  it("places an order by calling data-bridge and risk-management directly, never through the hub", async () => {
    const headers = { ...tenant("pro"), "x-correlation-id": "corr-e2e-order" };
    const answer = await placeOrder(trading.url, headers);

    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.status).toBe("accepted");
    expect(answer.body.order_id).toEqual(expect.any(String));
    expect(answer.body.price).toBeGreaterThan(0);
    const calls = new Map(answer.body.calls.map((call) => [call.service, call]));
    expect([...calls.keys()]).toEqual(["data-bridge", "risk-management"]);
    expect(calls.get("data-bridge")?.endpoint).toBe(dataBridge.url);
    expect([riskA.url, riskB.url]).toContain(calls.get("risk-management")?.endpoint);
    for (const call of answer.body.calls) expect(new URL(call.url).port).not.toBe(String(hub.port));

    // The tenant headers travelled with the direct call: risk-management applied the pro limit.
    expect(answer.body.risk.tenant).toEqual(headers);
    expect(answer.body.risk.subscription_tier).toBe("pro");
    // And the hub never saw a business request: its request log has the discoveries, no business path.
    const hubLog = hub.process.lines.map((line) => line.text).join("\n");
    expect(hubLog).toContain("/services/discover/risk-management");
    for (const path of ["/ticks/", "/risk/validate", "/orders"]) expect(hubLog).not.toContain(path);
  });

  it("reports risk-management's rejection when the order exceeds the tenant's limit", async () => {
    const answer = await placeOrder(trading.url, tenant("pro"), 10_000_000);
    expect(answer.status).toBe(422);
    expect(answer.body.status).toBe("rejected");
    expect(answer.body.risk.approved).toBe(false);
    expect(answer.body.risk.reasons.join(" ")).toContain("exceeds the pro limit");
  });

  it("stops recommending a risk-management instance once it turns unhealthy", async () => {
    const marked = await requestJson("POST", `${riskA.url}/admin/health`, { body: { status: "unhealthy" } });
    expect(marked.status).toBe(200);
    expect((await getJson(`${riskA.url}/health`)).status).toBe(503);

    const discovery = await waitFor("risk-management A out of rotation", async () => {
      const answer = await discover(hub.url, "risk-management");
      return answer.status === 200 && !answer.body.all_healthy_endpoints.includes(riskA.url)
        ? answer.body
        : undefined;
    });
    expect(discovery.all_healthy_endpoints).toEqual([riskB.url]);
    expect(discovery.recommended_endpoint).toBe(riskB.url);
    expect(discovery.healthy_available).toBe(true);
    expect(discovery.connection_type).toBe("direct_call");

    // Whatever the strategy, and however often asked, only the healthy instance is recommended.
    for (const strategy of [undefined, "round_robin", "weighted", "least_load", "round_robin"]) {
      const answer = await discover(hub.url, "risk-management", strategy);
      expect(answer.status).toBe(200);
      expect(answer.body.recommended_endpoint, `strategy ${strategy}`).toBe(riskB.url);
    }
    const order = await placeOrder(trading.url, tenant("enterprise"));
    expect(order.status).toBe(201);
    expect(order.body.calls.find((call) => call.service === "risk-management")?.endpoint).toBe(riskB.url);

    // Back to healthy: the hub puts it back in rotation.
    await requestJson("POST", `${riskA.url}/admin/health`, { body: { status: "healthy" } });
    await waitFor("risk-management A back in rotation", async () => {
      const answer = await discover(hub.url, "risk-management");
      return answer.body.all_healthy_endpoints.length === 2 ? answer.body : undefined;
    });
  });

  it("keeps the registry across a hub restart on the same data dir", async () => {
    const before = registrySnapshot(await listAllServices(hub.url));
    expect(before.map((service) => service.name)).toEqual([
      "data-bridge",
      "risk-management",
      "trading-engine",
    ]);

    const exit = await hub.process.stop();
    expect(exit, hub.process.tail()).toEqual({ code: 0, signal: null });

    // A new ephemeral port: the services keep heartbeating the old address, so whatever the
    // restarted hub knows it must have read back from the data dir.
    hub = await startHub(group, { dataDir: dataDir!.path });
    const after = registrySnapshot(await listAllServices(hub.url));
    expect(after).toEqual(before);

    // Its own checks still reach the services, so they stay discoverable at their own addresses.
    const expected: Record<string, string[]> = {
      "data-bridge": [dataBridge.url],
      "risk-management": [riskA.url, riskB.url].sort(),
      "trading-engine": [trading.url],
    };
    for (const [name, endpoints] of Object.entries(expected)) {
      const discovery = await waitFor(`${name} discoverable after restart`, async () => {
        const answer = await discover(hub.url, name);
        return answer.status === 200 && answer.body.all_healthy_endpoints.length === endpoints.length
          ? answer.body
          : undefined;
      });
      expect([...discovery.all_healthy_endpoints].sort()).toEqual(endpoints);
      expect(endpoints).toContain(discovery.recommended_endpoint);
    }
  });
});
