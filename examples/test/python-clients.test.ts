import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExampleService, startExampleService } from "./helpers/example-service.js";
import {
  getJson,
  healthyService,
  listAllServices,
  requestJson,
  type ServiceView,
} from "./helpers/hub-api.js";
import { type HubProcess, startHub } from "./helpers/hub-process.js";
import { createProcessGroup } from "./helpers/process-group.js";
import { runPythonScript } from "./helpers/python-script.js";
import { createTempDir, type TempDir } from "./helpers/temp-dir.js";
import { waitFor } from "./helpers/wait-for.js";

interface ListStep {
  status: number;
  names: string[];
}

/** The summary register_and_discover.py prints (only what the assertions below index into). */
interface RegisterSummary {
  ok: boolean;
  service: string;
  fake_endpoint: string;
  instance_id: string | null;
  steps: { list: Record<"free" | "pro" | "free_legacy_mode" | "no_tenant", ListStep> } & Record<
    string,
    unknown
  >;
}

describe("python clients of the hub (Debian python3, httpx, grpcio)", () => {
  const group = createProcessGroup();
  let dataDir: TempDir | undefined;
  let hub: HubProcess;
  let risk: ExampleService;

  beforeAll(async () => {
    dataDir = await createTempDir("hub-examples-python");
    hub = await startHub(group, { dataDir: dataDir.path });
    [, risk] = await Promise.all([
      startExampleService(group, "data-bridge", hub.url),
      startExampleService(group, "risk-management", hub.url),
    ]);
  });

  afterAll(async () => {
    await group.stopAll();
    await dataDir?.remove();
  });

  it("register_and_discover.py registers, discovers, lists by tier, heartbeats and deregisters", async () => {
    const name = "py-fake-service";
    const result = await runPythonScript(group, "register_and_discover.py", [
      "--hub-url",
      hub.url,
      "--name",
      name,
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.summary, result.output).toBeDefined();
    const summary = result.summary as unknown as RegisterSummary;
    expect(summary, result.output).toMatchObject({ ok: true, failures: [], service: name, hub_url: hub.url });
    const fakeEndpoint = summary.fake_endpoint;
    expect(fakeEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(summary.instance_id).toEqual(expect.any(String));

    expect(summary.steps).toMatchObject({
      register: { status: 201, id: summary.instance_id, endpoint: fakeEndpoint },
      became_healthy: true,
      get_service: {
        status: 200,
        name,
        instance_count: 1,
        healthy_count: 1,
        instance_ids: [summary.instance_id],
      },
      discover: {
        status: 200,
        service_name: name,
        recommended_endpoint: fakeEndpoint,
        all_healthy_endpoints: [fakeEndpoint],
        connection_type: "direct_call",
        healthy_available: true,
      },
      heartbeat: { status: 200, lease_expires_at: expect.any(String) },
      delete: { status: 204 },
      heartbeat_after_delete: { status: 404 },
    });
    // The fake requires pro: hidden from free tenants, shown to pro, to legacy_mode and to tenant-less callers.
    const { list } = summary.steps;
    expect(list.free.names).toContain("data-bridge");
    expect(list.free.names).not.toContain(name);
    expect(list.pro.names).toContain(name);
    expect(list.free_legacy_mode.names).toContain(name);
    expect(list.no_tenant.names).toContain(name);

    // The DELETE really removed it from the hub.
    const remaining = (await listAllServices(hub.url)).find((service: ServiceView) => service.name === name);
    expect(remaining?.instance_count ?? 0).toBe(0);
  });

  it("config_client.py reads a tenant's effective config in the seed's shape", async () => {
    // An admin (a loopback caller: the hub has no --admin-token) writes the tenant and the
    // global document, as SEED.md's update_global_config does; the script only reads.
    const tenant = await requestJson("PUT", `${hub.url}/config/company_abc`, {
      body: { subscription_tier: "pro", config: { rate_limits: { api_calls_per_hour: 20000 } } },
    });
    expect(tenant.status, JSON.stringify(tenant.body)).toBe(200);
    const globalConfig = { rate_limits: { free_tier: 50, pro_tier: 200, enterprise_tier: 1000 } };
    const global = await requestJson("PUT", `${hub.url}/config/global`, { body: { config: globalConfig } });
    expect(global.status, JSON.stringify(global.body)).toBe(200);

    const result = await runPythonScript(group, "config_client.py", [
      "--hub-url",
      hub.url,
      "--tenant",
      "company_abc",
      "--tier",
      "pro",
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.summary, result.output).toMatchObject({ ok: true, failures: [] });
    const steps = (result.summary as { steps: Record<string, { body?: unknown }> }).steps;
    // SEED.md's GET /config/{tenant_id}: the pro defaults with the tenant's override, plus version.
    expect(steps.tenant_config?.body).toEqual({
      tenant_id: "company_abc",
      subscription_tier: "pro",
      config: {
        rate_limits: { api_calls_per_hour: 20000, websocket_connections: 50 },
        features: { basic_analytics: true, advanced_ai: true, custom_models: false },
        resource_limits: { max_concurrent_requests: 100, max_data_storage_mb: 1000 },
      },
      version: expect.any(Number),
    });
    expect(steps).toMatchObject({
      tenant_config: { status: 200, problems: [] },
      missing_tenant: { status: 404, code: "not_found" },
      other_company: { status: 403, code: "permission_denied" },
      global_config: { status: 200, scope: "global", config: globalConfig },
    });
  });

  it("grpc_health_check.py reads grpc.health.v1 statuses for the hub and for services", async () => {
    await requestJson("POST", `${risk.url}/admin/health`, { body: { status: "unhealthy" } });
    await waitFor("data-bridge healthy", () => healthyService(hub.url, "data-bridge", 1));
    await waitFor("risk-management unhealthy", async () => {
      const answer = await getJson<ServiceView>(`${hub.url}/services/risk-management`);
      return answer.status === 200 && answer.body.instance_count === 1 && answer.body.healthy_count === 0
        ? answer.body
        : undefined;
    });

    const services = ["", "data-bridge", "risk-management", "no-such-service"];
    const result = await runPythonScript(group, "grpc_health_check.py", [
      "--hub-url",
      hub.url,
      ...services.flatMap((service) => ["--service", service]),
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.summary, result.output).toMatchObject({
      ok: true,
      target: `127.0.0.1:${hub.port}`,
      results: [
        { service: "", status: "SERVING" },
        { service: "data-bridge", status: "SERVING" },
        { service: "risk-management", status: "NOT_SERVING" },
        { service: "no-such-service", error: "NOT_FOUND" },
      ],
    });
  });
});
