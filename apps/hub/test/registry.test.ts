import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  type InstanceSpec,
  type InstanceSpecSchema,
  InstanceStatus,
  type Protocol,
  type SubscriptionTier,
} from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectErrorOf } from "./support/connect-error.js";
import {
  type DiscoverJson,
  type ErrorJson,
  type InstanceJson,
  registerJson,
  requestJson,
  type ServiceJson,
} from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { openClients, transportKinds } from "./support/transports.js";

/** The plain-object form of an InstanceSpec (not a message instance). */
type SpecInit = Exclude<MessageInitShape<typeof InstanceSpecSchema>, InstanceSpec>;

/** Registrations that must be refused, in both API forms, with the field the error must name. */
const badRegistrations: ReadonlyArray<{
  case: string;
  field: string;
  /** The JSON API names some fields differently (durations carry "_seconds"). */
  jsonField?: string;
  connect: SpecInit;
  json: Record<string, unknown>;
}> = [
  {
    case: "a name with upper case and '_'",
    field: "name",
    connect: { name: "Data_Bridge" },
    json: { name: "Data_Bridge" },
  },
  { case: "port 0", field: "port", connect: { port: 0 }, json: { port: 0 } },
  { case: "port 70000", field: "port", connect: { port: 70_000 }, json: { port: 70_000 } },
  { case: "a host with a space", field: "host", connect: { host: "exa mple" }, json: { host: "exa mple" } },
  {
    case: "a check timeout not below its interval",
    field: "health_check.timeout",
    jsonField: "health_check.timeout_seconds",
    connect: { healthCheck: { interval: durationFromMs(1_000), timeout: durationFromMs(1_000) } },
    json: { health_check: { interval_seconds: 1, timeout_seconds: 1 } },
  },
  {
    case: "33 tags (limit 32)",
    field: "tags",
    connect: { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) },
    json: { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) },
  },
  {
    case: "65 metadata entries (limit 64)",
    field: "metadata",
    connect: { metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) },
    json: { metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) },
  },
  {
    // The key is the caller's own: it must be named as sent, not converted to snake_case.
    case: "a metadata value over 512 characters",
    field: "metadata.buildId",
    connect: { metadata: { buildId: "x".repeat(513) } },
    json: { metadata: { buildId: "x".repeat(513) } },
  },
  {
    // Array elements are named like the hub names them elsewhere ("names[0]" in WatchServices).
    case: "an empty tag",
    field: "tags[1]",
    connect: { tags: ["ok", ""] },
    json: { tags: ["ok", ""] },
  },
  {
    case: "an unknown subscription tier",
    field: "subscription_requirements[0]",
    connect: { subscriptionRequirements: [7 as SubscriptionTier] },
    json: { subscription_requirements: ["gold"] },
  },
  {
    case: "an unknown protocol",
    field: "protocol",
    connect: { protocol: 99 as Protocol },
    json: { protocol: "ftp" },
  },
  { case: "an id with '/'", field: "id", connect: { id: "a/b" }, json: { id: "a/b" } },
  { case: "weight 10001", field: "weight", connect: { weight: 10_001 }, json: { weight: 10_001 } },
];

let running: RunningHub;
beforeAll(async () => {
  running = await startHub();
});
afterAll(async () => {
  await running?.close();
});

/** The hub still serves after a refused or failed request. */
async function expectHubAlive(): Promise<void> {
  const health = await requestJson<{ status: string }>(`${running.url}/health`);
  expect(health.status).toBe(200);
  expect(health.body.status).toBe("healthy");
}

describe("RegistryService over Connect, gRPC and gRPC-web", () => {
  it.each(transportKinds)(
    "registers, finds, discovers, heartbeats and deregisters an instance over $name",
    async (kind) => {
      const clients = openClients(kind, running.url);
      try {
        const name = `round-trip-${kind.slug}`;
        const { instance } = await clients.registry.register({
          instance: {
            name,
            host: "127.0.0.1",
            port: 9001,
            version: "1.0.0",
            healthCheck: { disabled: true },
          },
        });
        const id = instance?.spec?.id ?? "";
        expect(id).toBe("127.0.0.1-9001");
        expect(instance?.endpoint).toBe("http://127.0.0.1:9001");
        expect(instance?.status).toBe(InstanceStatus.HEALTHY);

        const { service } = await clients.registry.getService({ name });
        expect(service?.instances.map((i) => i.spec?.id)).toEqual([id]);
        expect(service?.healthyCount).toBe(1);

        const found = await clients.discovery.discover({ name });
        expect(found).toMatchObject({
          serviceName: name,
          recommendedEndpoint: "http://127.0.0.1:9001",
          allHealthyEndpoints: ["http://127.0.0.1:9001"],
          confidence: 1,
          connectionType: "direct_call",
          healthyAvailable: true,
        });
        expect(found.recommended?.instanceId).toBe(id);

        const before = Date.now();
        const beat = await clients.registry.heartbeat({ name, instanceId: id, load: 0.7 });
        expect(timestampMs(beat.leaseExpiresAt!)).toBeGreaterThan(before);
        const afterBeat = await clients.registry.getService({ name });
        expect(afterBeat.service?.instances[0]?.load).toBe(0.7);

        await clients.registry.deregister({ name, instanceId: id });
        expect((await connectErrorOf(clients.registry.getService({ name }))).code).toBe(Code.NotFound);
        expect((await connectErrorOf(clients.discovery.discover({ name }))).code).toBe(Code.NotFound);
      } finally {
        clients.close();
      }
    },
  );

  it.each(transportKinds)(
    "updates an instance registered twice instead of adding one over $name",
    async (kind) => {
      const clients = openClients(kind, running.url);
      try {
        const name = `twice-${kind.slug}`;
        const spec = { name, host: "127.0.0.1", port: 9002, healthCheck: { disabled: true } };
        const first = await clients.registry.register({ instance: { ...spec, version: "1.0.0" } });
        const second = await clients.registry.register({
          instance: { ...spec, version: "1.1.0", tags: ["canary"] },
        });
        expect(second.instance?.spec?.id).toBe(first.instance?.spec?.id);
        expect(timestampMs(second.instance!.registeredAt!)).toBe(timestampMs(first.instance!.registeredAt!));

        const { service } = await clients.registry.getService({ name });
        expect(service?.instances).toHaveLength(1);
        expect(service?.instances[0]?.spec).toMatchObject({ version: "1.1.0", tags: ["canary"] });
        expect(timestampMs(service!.instances[0]!.registeredAt!)).toBe(
          timestampMs(first.instance!.registeredAt!),
        );
      } finally {
        clients.close();
      }
    },
  );

  describe.each(transportKinds)("over $name", (kind) => {
    it.each(badRegistrations)(
      "refuses $case with InvalidArgument naming the field",
      async ({ field, connect }) => {
        const clients = openClients(kind, running.url);
        try {
          const instance: SpecInit = { name: `bad-${kind.slug}`, host: "127.0.0.1", port: 9003, ...connect };
          const error = await connectErrorOf(clients.registry.register({ instance }));
          expect(error.code).toBe(Code.InvalidArgument);
          expect(error.rawMessage.split(": ")[0]).toBe(field);
        } finally {
          clients.close();
        }
        await expectHubAlive();
      },
    );
  });

  it.each(transportKinds)(
    "refuses a negative heartbeat load with InvalidArgument over $name",
    async (kind) => {
      const clients = openClients(kind, running.url);
      try {
        const name = `loaded-${kind.slug}`;
        const { instance } = await clients.registry.register({
          instance: { name, host: "127.0.0.1", port: 9005, healthCheck: { disabled: true } },
        });
        const error = await connectErrorOf(
          clients.registry.heartbeat({ name, instanceId: instance?.spec?.id ?? "", load: -1 }),
        );
        expect(error.code).toBe(Code.InvalidArgument);
        expect(error.rawMessage.split(": ")[0]).toBe("load");
      } finally {
        clients.close();
      }
    },
  );

  it.each(transportKinds)("answers NotFound for an unknown service over $name", async (kind) => {
    const clients = openClients(kind, running.url);
    try {
      const get = await connectErrorOf(clients.registry.getService({ name: "no-such-service" }));
      expect(get.code).toBe(Code.NotFound);
      expect(get.rawMessage).toContain("no-such-service");
      const found = await connectErrorOf(clients.discovery.discover({ name: "no-such-service" }));
      expect(found.code).toBe(Code.NotFound);
    } finally {
      clients.close();
    }
    await expectHubAlive();
  });

  it.each(transportKinds)(
    "answers NotFound to a heartbeat or deregistration of an unknown instance over $name",
    async (kind) => {
      const clients = openClients(kind, running.url);
      try {
        const name = `forgotten-${kind.slug}`;
        await clients.registry.register({
          instance: { name, host: "127.0.0.1", port: 9004, healthCheck: { disabled: true } },
        });
        const beat = await connectErrorOf(
          clients.registry.heartbeat({ name, instanceId: "never-registered" }),
        );
        expect(beat.code).toBe(Code.NotFound);
        const gone = await connectErrorOf(
          clients.registry.deregister({ name, instanceId: "never-registered" }),
        );
        expect(gone.code).toBe(Code.NotFound);
        const unknownService = await connectErrorOf(
          clients.registry.heartbeat({ name: "no-such-service", instanceId: "x" }),
        );
        expect(unknownService.code).toBe(Code.NotFound);
      } finally {
        clients.close();
      }
      await expectHubAlive();
    },
  );
});

describe("the plain JSON registry paths", () => {
  it("registers, finds, discovers, heartbeats and deregisters an instance", async () => {
    const name = "round-trip-json";
    const created = await registerJson(running.url, {
      name,
      host: "127.0.0.1",
      port: 9101,
      version: "1.0.0",
      health_check: { disabled: true },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      id: "127.0.0.1-9101",
      name,
      endpoint: "http://127.0.0.1:9101",
      protocol: "http",
      status: "healthy",
      health_endpoint: "/health",
    });

    const service = await requestJson<ServiceJson>(`${running.url}/services/${name}`);
    expect(service.status).toBe(200);
    expect(service.body).toMatchObject({ name, instance_count: 1, healthy_count: 1, status: "healthy" });
    expect(service.body.instances.map((i) => i.id)).toEqual([id]);

    for (const answer of [
      await requestJson<DiscoverJson>(`${running.url}/services/discover/${name}`),
      await requestJson<DiscoverJson>(`${running.url}/services/discover`, { json: { name } }),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        service_name: name,
        recommended_endpoint: "http://127.0.0.1:9101",
        all_healthy_endpoints: ["http://127.0.0.1:9101"],
        confidence: 1,
        connection_type: "direct_call",
        healthy_available: true,
      });
    }

    const beat = await requestJson<{ lease_expires_at: string }>(
      `${running.url}/services/${name}/instances/${id}/heartbeat`,
      {
        method: "PUT",
        json: { load: 0.3 },
      },
    );
    expect(beat.status).toBe(200);
    expect(Date.parse(beat.body.lease_expires_at)).toBeGreaterThan(Date.now());
    const afterBeat = await requestJson<ServiceJson>(`${running.url}/services/${name}`);
    expect(afterBeat.body.instances[0]?.load).toBe(0.3);

    const deleted = await requestJson(`${running.url}/services/${name}/instances/${id}`, {
      method: "DELETE",
    });
    expect(deleted.status).toBe(204);
    const gone = await requestJson<ErrorJson>(`${running.url}/services/${name}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("not_found");
  });

  it("answers 201 then 200 for the same instance registered twice, keeping its id and registered_at", async () => {
    const body = { name: "twice-json", host: "127.0.0.1", port: 9102, health_check: { disabled: true } };
    const first = await registerJson(running.url, { ...body, version: "1.0.0" });
    const second = await registerJson(running.url, { ...body, version: "1.1.0" });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.registered_at).toBe(first.body.registered_at);
    const service = await requestJson<ServiceJson>(`${running.url}/services/twice-json`);
    expect(service.body.instances.map((i: InstanceJson) => [i.id, i.version])).toEqual([
      [first.body.id, "1.1.0"],
    ]);
  });

  it.each(badRegistrations)(
    "refuses $case with 400 naming the field",
    async ({ field: connectField, jsonField, json }) => {
      const field = jsonField ?? connectField;
      const answer = await registerJson(running.url, {
        name: "bad-json",
        host: "127.0.0.1",
        port: 9103,
        ...json,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: "invalid_argument", field });
      expect(answer.body.error.message.split(": ")[0]).toBe(field);
      await expectHubAlive();
    },
  );

  it.each([
    ["GET", "/services/no-such-service"],
    ["GET", "/services/discover/no-such-service"],
    ["POST", "/services/discover"],
  ])("answers 404 to %s %s for an unknown service", async (method, path) => {
    const answer = await requestJson<ErrorJson>(`${running.url}${path}`, {
      method,
      ...(method === "POST" ? { json: { name: "no-such-service" } } : {}),
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("not_found");
    expect(answer.body.error.message).toContain("no-such-service");
    await expectHubAlive();
  });

  it.each([
    ["a string", "high"],
    ["a negative number", -0.5],
  ])("answers 400 to a heartbeat whose load is %s", async (_label, load) => {
    const { body } = await registerJson(running.url, {
      name: "loaded-json",
      host: "127.0.0.1",
      port: 9105,
      health_check: { disabled: true },
    });
    const answer = await requestJson<ErrorJson>(
      `${running.url}/services/loaded-json/instances/${body.id}/heartbeat`,
      {
        method: "PUT",
        json: { load },
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "invalid_argument", field: "load" });
  });

  it("answers 404 to a heartbeat or deletion of an unknown instance", async () => {
    await registerJson(running.url, {
      name: "forgotten-json",
      host: "127.0.0.1",
      port: 9104,
      health_check: { disabled: true },
    });
    const beat = await requestJson<ErrorJson>(
      `${running.url}/services/forgotten-json/instances/never-registered/heartbeat`,
      {
        method: "PUT",
        json: { load: 0.1 },
      },
    );
    expect(beat.status).toBe(404);
    expect(beat.body.error.code).toBe("not_found");
    const deleted = await requestJson<ErrorJson>(
      `${running.url}/services/forgotten-json/instances/never-registered`,
      {
        method: "DELETE",
      },
    );
    expect(deleted.status).toBe(404);
    await expectHubAlive();
  });
});
