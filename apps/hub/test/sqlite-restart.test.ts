import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type InstanceJson, mustRegisterJson, requestJson, type ServiceJson } from "./support/http-json.js";
import { startHub } from "./support/start-hub.js";
import { Teardown } from "./support/teardown.js";
import { openClients, transportKinds } from "./support/transports.js";

const teardown = new Teardown();
afterEach(() => teardown.run());

/** What a registration says about an instance (live state such as load or heartbeat times left out). */
function durable(instance: InstanceJson) {
  const { load, last_heartbeat_at, lease_expires_at, last_check, status_message, ...rest } = instance;
  return rest;
}

async function listAll(hubUrl: string): Promise<InstanceJson[]> {
  const answer = await requestJson<{ services: ServiceJson[] }>(`${hubUrl}/services/?legacy_mode=true`);
  expect(answer.status).toBe(200);
  return answer.body.services.flatMap((s) => s.instances).sort((a, b) => (a.id < b.id ? -1 : 1));
}

const registrations: ReadonlyArray<Record<string, unknown>> = [
  {
    name: "orders",
    host: "127.0.0.1",
    port: 9701,
    version: "1.4.2",
    zone: "eu-1",
    weight: 40,
    metadata: { team: "checkout", region: "eu" },
    tags: ["primary", "v1"],
    ttl_seconds: 45,
    health_check: { disabled: true },
  },
  {
    id: "orders-canary",
    name: "orders",
    host: "127.0.0.1",
    port: 9702,
    version: "1.5.0-rc.1",
    tags: ["canary"],
    resource_tier: "premium",
    health_check: { disabled: true },
  },
  {
    name: "risk",
    host: "localhost",
    port: 9703,
    protocol: "grpc",
    subscription_requirements: ["pro", "enterprise"],
    tenant_capable: false,
    deregister_critical_after_seconds: 600,
    health_check: {
      disabled: true,
      interval_seconds: 5,
      timeout_seconds: 1,
      rise: 3,
      fall: 4,
      grpc_service: "risk.v1.Risk",
    },
  },
];

describe("a hub on SQLite", () => {
  it("has the same instances, with the same ids and fields, after a restart on the same data dir", async () => {
    const dataDir = teardown.defer(await mkdtemp(join(tmpdir(), "hub-restart-")), (dir) =>
      rm(dir, { recursive: true, force: true }),
    );
    const flags = ["--storage", "sqlite", "--data-dir", dataDir];

    const first = await startHub(flags);
    let before: InstanceJson[];
    try {
      for (const body of registrations) await mustRegisterJson(first.url, body);
      before = await listAll(first.url);
    } finally {
      await first.close();
    }
    expect(before.map((i) => i.id)).toEqual(["127.0.0.1-9701", "localhost-9703", "orders-canary"]);

    const second = teardown.defer(await startHub(flags), (hub) => hub.close());
    const after = await listAll(second.url);
    expect(after.map(durable)).toEqual(before.map(durable));
    expect(after.map((i) => i.status)).toEqual(["healthy", "healthy", "healthy"]);
  });

  it.each(transportKinds)(
    "accepts heartbeats and deregistrations of restored instances over $name",
    async (kind) => {
      const dataDir = teardown.defer(await mkdtemp(join(tmpdir(), "hub-restart-")), (dir) =>
        rm(dir, { recursive: true, force: true }),
      );
      const flags = ["--storage", "sqlite", "--data-dir", dataDir];
      const first = await startHub(flags);
      let id: string;
      try {
        id = (await mustRegisterJson(first.url, registrations[0]!)).id;
      } finally {
        await first.close();
      }

      const second = teardown.defer(await startHub(flags), (hub) => hub.close());
      const clients = teardown.defer(openClients(kind, second.url), (c) => c.close());
      await clients.registry.heartbeat({ name: "orders", instanceId: id, load: 0.2 });
      const { service } = await clients.registry.getService({ name: "orders" });
      expect(service?.instances.map((i) => [i.spec?.id, i.load])).toEqual([[id, 0.2]]);
      await clients.registry.deregister({ name: "orders", instanceId: id });
      expect((await requestJson(`${second.url}/services/orders`)).status).toBe(404);
    },
  );
});
