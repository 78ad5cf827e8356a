import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExampleService } from "./helpers/example-service.js";
import { type DiscoveryView, getJson, listAllServices, type ServiceView, tenant } from "./helpers/hub-api.js";
import { type HubProcess, startHub } from "./helpers/hub-process.js";
import { createProcessGroup } from "./helpers/process-group.js";
import { createTempDir, type TempDir } from "./helpers/temp-dir.js";
import { waitFor } from "./helpers/wait-for.js";

async function listedNames(
  hubUrl: string,
  query: string,
  headers: Record<string, string>,
): Promise<string[]> {
  const answer = await getJson<{ services: ServiceView[] }>(`${hubUrl}/services/${query}`, headers);
  expect(answer.status).toBe(200);
  return answer.body.services.map((service) => service.name);
}

// SEED.md: trading-engine registers with subscription_requirements ["pro", "enterprise"], and
// existing services call GET /services/ with the gateway's tenant headers.
describe("tier filtering as existing services see it", () => {
  const group = createProcessGroup();
  let dataDir: TempDir | undefined;
  let hub: HubProcess;

  beforeAll(async () => {
    dataDir = await createTempDir("hub-examples-tiers");
    hub = await startHub(group, { dataDir: dataDir.path, storage: "memory" });
    await Promise.all([
      startExampleService(group, "data-bridge", hub.url),
      startExampleService(group, "trading-engine", hub.url),
    ]);
    await waitFor("both services registered", async () => {
      const names = (await listAllServices(hub.url)).map((service) => service.name);
      return names.includes("data-bridge") && names.includes("trading-engine") ? names : undefined;
    });
  });

  afterAll(async () => {
    await group.stopAll();
    await dataDir?.remove();
  });

  it.each([
    { tier: "free", seesTradingEngine: false },
    { tier: "pro", seesTradingEngine: true },
    { tier: "enterprise", seesTradingEngine: true },
  ] as const)(
    "a $tier tenant listing GET /services/ sees trading-engine: $seesTradingEngine",
    async ({ tier, seesTradingEngine }) => {
      const names = await listedNames(hub.url, "", tenant(tier));
      expect(names).toContain("data-bridge");
      expect(names.includes("trading-engine")).toBe(seesTradingEngine);
    },
  );

  it("legacy_mode=true shows trading-engine even to a free tenant", async () => {
    expect(await listedNames(hub.url, "?legacy_mode=true", tenant("free"))).toContain("trading-engine");
  });

  it("a caller without tenant headers sees every service", async () => {
    expect(await listedNames(hub.url, "", {})).toEqual(
      expect.arrayContaining(["data-bridge", "trading-engine"]),
    );
  });

  it("a free tenant cannot look up or discover trading-engine; a pro tenant can", async () => {
    const free = tenant("free");
    expect((await getJson(`${hub.url}/services/trading-engine`, free)).status).toBe(404);
    expect((await getJson(`${hub.url}/services/discover/trading-engine`, free)).status).toBe(404);

    const pro = tenant("pro");
    const service = await getJson<ServiceView>(`${hub.url}/services/trading-engine`, pro);
    expect(service.status).toBe(200);
    expect(service.body.subscription_requirements).toEqual(["pro", "enterprise"]);
    const discovery = await getJson<DiscoveryView>(`${hub.url}/services/discover/trading-engine`, pro);
    expect(discovery.status).toBe(200);
    expect(discovery.body.service_name).toBe("trading-engine");
  });
});
