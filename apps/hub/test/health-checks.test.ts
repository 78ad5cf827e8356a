import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { HealthCheckResponse_ServingStatus as Serving, InstanceStatus, Protocol } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { discoverFlavors } from "./support/discover-flavors.js";
import {
  closedPort,
  type HttpHealthMode,
  startGrpcHealthTarget,
  startHttpHealthTarget,
  startTcpTarget,
} from "./support/health-targets.js";
import { getServiceJson, type InstanceJson, instanceStatus, mustRegisterJson } from "./support/http-json.js";
import { startHub } from "./support/start-hub.js";
import { Teardown } from "./support/teardown.js";
import { grpcKind, openClients } from "./support/transports.js";
import { waitFor } from "./support/wait-for.js";

/** Whole seconds are all the hub's flags allow; instances ask for faster checks themselves. */
const hubFlags = [
  "--check-interval-seconds",
  "2",
  "--check-timeout-seconds",
  "1",
  "--check-rise",
  "1",
  "--check-fall",
  "1",
];
/** Per-instance checks on the JSON path: every 250 ms, 200 ms timeout, one probe flips the status. */
const fastChecks = { interval_seconds: 0.25, timeout_seconds: 0.2, rise: 1, fall: 1 };

const teardown = new Teardown();
afterEach(() => teardown.run());

async function startCheckingHub() {
  return teardown.defer(await startHub(hubFlags), (hub) => hub.close());
}

async function startTarget(mode: HttpHealthMode = "ok") {
  return teardown.defer(await startHttpHealthTarget(mode), (target) => target.close());
}

function waitForStatus(hubUrl: string, name: string, id: string, status: string): Promise<string> {
  return waitFor(
    `${name}/${id} to be ${status}`,
    () => instanceStatus(hubUrl, name, id),
    (s) => s === status,
  );
}

async function instanceJson(hubUrl: string, name: string, id: string): Promise<InstanceJson | undefined> {
  return (await getServiceJson(hubUrl, name))?.instances.find((i) => i.id === id);
}

describe("active HTTP health checks", () => {
  it("turns an instance healthy, unhealthy when /health answers 503, and healthy again", async () => {
    const target = await startTarget("ok");
    const hub = await startCheckingHub();
    const { id } = await mustRegisterJson(hub.url, {
      name: "web",
      host: "127.0.0.1",
      port: target.port,
      health_check: fastChecks,
    });

    await waitForStatus(hub.url, "web", id, "healthy");
    expect((await instanceJson(hub.url, "web", id))?.last_check).toMatchObject({
      passing: true,
      status: "healthy",
    });

    target.set("failing");
    await waitForStatus(hub.url, "web", id, "unhealthy");
    const failed = await instanceJson(hub.url, "web", id);
    expect(failed?.last_check).toMatchObject({ passing: false, status: "unhealthy" });
    expect(failed?.last_check?.message).toContain("503");
    expect(failed?.status_message).toContain("503");

    target.set("ok");
    await waitForStatus(hub.url, "web", id, "healthy");
  });

  it("reports an instance whose /health answers 200 with status degraded as degraded", async () => {
    const target = await startTarget("degraded");
    const hub = await startCheckingHub();
    const { id } = await mustRegisterJson(hub.url, {
      name: "web",
      host: "127.0.0.1",
      port: target.port,
      health_check: fastChecks,
    });

    await waitForStatus(hub.url, "web", id, "degraded");
    expect((await instanceJson(hub.url, "web", id))?.last_check).toMatchObject({
      passing: true,
      status: "degraded",
    });
    target.set("ok");
    await waitForStatus(hub.url, "web", id, "healthy");
  });

  it("keeps a checked instance healthy when it registers again at the same address", async () => {
    const target = await startTarget("ok");
    const hub = await startCheckingHub();
    const body = { name: "web", host: "127.0.0.1", port: target.port, health_check: fastChecks };
    const { id } = await mustRegisterJson(hub.url, body);
    await waitForStatus(hub.url, "web", id, "healthy");

    const again = await mustRegisterJson(hub.url, { ...body, version: "2.0.0" });
    expect(again.status).toBe("healthy");
    expect(await instanceStatus(hub.url, "web", id)).toBe("healthy");
  });

  it("renews the lease of an instance that keeps passing its checks, without heartbeats", async () => {
    const target = await startTarget("ok");
    const hub = await startCheckingHub();
    const { id } = await mustRegisterJson(hub.url, {
      name: "web",
      host: "127.0.0.1",
      port: target.port,
      ttl_seconds: 1,
      // fall 2: one probe slowed past its timeout by a busy machine (suites run in parallel in CI)
      // must not turn the instance unhealthy; this test is about the lease, not about damping.
      health_check: { ...fastChecks, fall: 2 },
    });
    await waitForStatus(hub.url, "web", id, "healthy");
    // Eight more probes span two seconds, twice the lease; the status must hold throughout.
    const until = target.probes + 8;
    const seen = new Set<string>();
    await waitFor(
      "eight more probes",
      async () => {
        seen.add(await instanceStatus(hub.url, "web", id));
        return target.probes;
      },
      (probes) => probes >= until,
    );
    expect([...seen]).toEqual(["healthy"]);
  });

  it("keeps probing at the millisecond interval asked for over Connect", async () => {
    const target = await startTarget("ok");
    const hub = await startCheckingHub();
    const clients = teardown.defer(openClients(grpcKind, hub.url), (c) => c.close());
    const { instance } = await clients.registry.register({
      instance: {
        name: "web",
        host: "127.0.0.1",
        port: target.port,
        protocol: Protocol.HTTP,
        healthCheck: { interval: durationFromMs(200), timeout: durationFromMs(100), rise: 1, fall: 1 },
      },
    });
    const id = instance?.spec?.id ?? "";
    await waitFor(
      "the Connect view of the instance to be healthy",
      async () => (await clients.registry.getService({ name: "web" })).service?.instances[0]?.status,
      (status) => status === InstanceStatus.HEALTHY,
    );
    // Five probes take about a second at 200 ms; at the hub's default (2 s) they would take 8 s.
    await waitFor(
      "five probes",
      () => target.probes,
      (n) => n >= 5,
      { timeoutMs: 3_000 },
    );
    const { service } = await clients.registry.getService({ name: "web" });
    expect(service?.instances[0]?.spec?.id).toBe(id);
    expect(service?.instances[0]?.spec?.healthCheck?.interval).toEqual(durationFromMs(200));
  });
});

describe("discovery follows health checks", () => {
  it.each(discoverFlavors)(
    "stops recommending an instance that fails its checks over $name",
    async (flavor) => {
      const a = await startTarget("ok");
      const b = await startTarget("ok");
      const hub = await startCheckingHub();
      const client = teardown.defer(flavor.open(hub.url), (c) => c.close());
      const first = await mustRegisterJson(hub.url, {
        name: "pair",
        host: "127.0.0.1",
        port: a.port,
        health_check: fastChecks,
      });
      const second = await mustRegisterJson(hub.url, {
        name: "pair",
        host: "127.0.0.1",
        port: b.port,
        health_check: fastChecks,
      });
      await waitFor(
        "both instances healthy",
        () => client.discover("pair"),
        (d) => d.allHealthyEndpoints.length === 2,
      );

      b.set("failing");
      await waitForStatus(hub.url, "pair", second.id, "unhealthy");
      for (let i = 0; i < 4; i++) {
        const answer = await client.discover("pair");
        expect(answer.recommendedEndpoint).toBe(first.endpoint);
        expect(answer.allHealthyEndpoints).toEqual([first.endpoint]);
        expect(answer.healthyAvailable).toBe(true);
      }
    },
  );

  describe.each(discoverFlavors)("over $name", (flavor) => {
    it.each([
      { mode: "failing" as const, status: "unhealthy" },
      { mode: "degraded" as const, status: "degraded" },
    ])(
      "says explicitly that no instance is healthy when the only one is $status",
      async ({ mode, status }) => {
        const target = await startTarget("ok");
        const hub = await startCheckingHub();
        const client = teardown.defer(flavor.open(hub.url), (c) => c.close());
        const { id, endpoint } = await mustRegisterJson(hub.url, {
          name: "lonely",
          host: "127.0.0.1",
          port: target.port,
          health_check: fastChecks,
        });
        await waitForStatus(hub.url, "lonely", id, "healthy");

        target.set(mode);
        await waitForStatus(hub.url, "lonely", id, status);
        const answer = await client.discover("lonely");
        expect(answer.healthyAvailable).toBe(false);
        expect(answer.allHealthyEndpoints).toEqual([]);
        expect(answer.recommendedEndpoint).toBe(endpoint);
        expect(answer.message).toContain("no healthy instance");
        // API.md: "confidence is below 0.5" whenever no instance is healthy.
        expect(answer.confidence).toBeLessThan(0.5);
      },
    );
  });
});

describe("active gRPC health checks", () => {
  it("follows SERVING and NOT_SERVING of a real grpc.health.v1 server", async () => {
    const target = teardown.defer(await startGrpcHealthTarget({ orders: Serving.SERVING }), (t) => t.close());
    const hub = await startCheckingHub();
    const clients = teardown.defer(openClients(grpcKind, hub.url), (c) => c.close());
    const { instance } = await clients.registry.register({
      instance: {
        name: "orders",
        host: "127.0.0.1",
        port: target.port,
        protocol: Protocol.GRPC,
        healthCheck: {
          interval: durationFromMs(250),
          timeout: durationFromMs(200),
          rise: 1,
          fall: 1,
          grpcService: "orders",
        },
      },
    });
    const id = instance?.spec?.id ?? "";
    await waitForStatus(hub.url, "orders", id, "healthy");
    expect((await instanceJson(hub.url, "orders", id))?.last_check?.message).toBe("SERVING");

    target.set("orders", Serving.NOT_SERVING);
    await waitForStatus(hub.url, "orders", id, "unhealthy");
    expect((await instanceJson(hub.url, "orders", id))?.last_check?.message).toContain("NOT_SERVING");

    target.set("orders", Serving.SERVING);
    await waitForStatus(hub.url, "orders", id, "healthy");
  });

  it("marks a grpc instance unhealthy when its health server does not know the checked service", async () => {
    const target = teardown.defer(await startGrpcHealthTarget({ "": Serving.SERVING }), (t) => t.close());
    const hub = await startCheckingHub();
    const { id } = await mustRegisterJson(hub.url, {
      name: "payments",
      host: "127.0.0.1",
      port: target.port,
      protocol: "grpc",
      health_check: { ...fastChecks, grpc_service: "payments" },
    });
    await waitForStatus(hub.url, "payments", id, "unhealthy");
    expect((await instanceJson(hub.url, "payments", id))?.last_check?.message).toContain("not_found");
  });
});

describe("active TCP health checks", () => {
  it("turns an instance on an open port healthy", async () => {
    const target = teardown.defer(await startTcpTarget(), (t) => t.close());
    const hub = await startCheckingHub();
    const { id } = await mustRegisterJson(hub.url, {
      name: "cache",
      host: "127.0.0.1",
      port: target.port,
      protocol: "tcp",
      health_check: fastChecks,
    });
    await waitForStatus(hub.url, "cache", id, "healthy");
  });

  it("turns an instance on a closed port unhealthy", async () => {
    const port = await closedPort();
    const hub = await startCheckingHub();
    const { id } = await mustRegisterJson(hub.url, {
      name: "cache",
      host: "127.0.0.1",
      port,
      protocol: "tcp",
      health_check: fastChecks,
    });
    await waitForStatus(hub.url, "cache", id, "unhealthy");
    expect((await instanceJson(hub.url, "cache", id))?.last_check?.passing).toBe(false);
  });
});
