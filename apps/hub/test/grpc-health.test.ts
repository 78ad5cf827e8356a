import { Code } from "@connectrpc/connect";
import { HealthCheckResponse_ServingStatus as Serving } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { connectErrorOf } from "./support/connect-error.js";
import { closedPort, startHttpHealthTarget } from "./support/health-targets.js";
import { instanceStatus, mustRegisterJson } from "./support/http-json.js";
import { startHub } from "./support/start-hub.js";
import { StreamReader } from "./support/stream-reader.js";
import { Teardown } from "./support/teardown.js";
import { grpcKind, openClients } from "./support/transports.js";
import { waitFor } from "./support/wait-for.js";

const fastChecks = { interval_seconds: 0.25, timeout_seconds: 0.2, rise: 1, fall: 1 };

const teardown = new Teardown();
afterEach(() => teardown.run());

async function startHubWithClient() {
  const hub = teardown.defer(await startHub(), (h) => h.close());
  const clients = teardown.defer(openClients(grpcKind, hub.url), (c) => c.close());
  return { hub, health: clients.grpcHealth };
}

describe("grpc.health.v1 Health over gRPC", () => {
  it("answers SERVING for the hub itself (the empty service name)", async () => {
    const { health } = await startHubWithClient();
    expect((await health.check({ service: "" })).status).toBe(Serving.SERVING);
  });

  it("answers SERVING for a service with a healthy instance", async () => {
    const { hub, health } = await startHubWithClient();
    await mustRegisterJson(hub.url, {
      name: "ledger",
      host: "127.0.0.1",
      port: 9501,
      health_check: { disabled: true },
    });
    expect((await health.check({ service: "ledger" })).status).toBe(Serving.SERVING);
  });

  it("answers NOT_SERVING for a service whose only instances are unhealthy", async () => {
    const { hub, health } = await startHubWithClient();
    for (const port of [await closedPort(), await closedPort()]) {
      const { id } = await mustRegisterJson(hub.url, {
        name: "ledger",
        host: "127.0.0.1",
        port,
        protocol: "tcp",
        health_check: fastChecks,
      });
      await waitFor(
        `${id} unhealthy`,
        () => instanceStatus(hub.url, "ledger", id),
        (s) => s === "unhealthy",
      );
    }
    expect((await health.check({ service: "ledger" })).status).toBe(Serving.NOT_SERVING);
  });

  it("answers NotFound for a service the hub does not know", async () => {
    const { health } = await startHubWithClient();
    const error = await connectErrorOf(health.check({ service: "no-such-service" }));
    expect(error.code).toBe(Code.NotFound);
  });

  it("streams NOT_SERVING from Watch when the service's instance turns unhealthy, and SERVING when it recovers", async () => {
    const target = teardown.defer(await startHttpHealthTarget("ok"), (t) => t.close());
    const { hub, health } = await startHubWithClient();
    const { id } = await mustRegisterJson(hub.url, {
      name: "ledger",
      host: "127.0.0.1",
      port: target.port,
      health_check: fastChecks,
    });
    await waitFor(
      `${id} healthy`,
      () => instanceStatus(hub.url, "ledger", id),
      (s) => s === "healthy",
    );

    const controller = teardown.defer(new AbortController(), (c) => c.abort());
    const reader = new StreamReader(health.watch({ service: "ledger" }, { signal: controller.signal }));
    expect((await reader.next()).status).toBe(Serving.SERVING);

    target.set("failing");
    expect((await reader.next()).status).toBe(Serving.NOT_SERVING);
    target.set("ok");
    expect((await reader.next()).status).toBe(Serving.SERVING);
  });

  it("streams SERVICE_UNKNOWN from Watch for an unknown service, then SERVING once it registers", async () => {
    const { hub, health } = await startHubWithClient();
    const controller = teardown.defer(new AbortController(), (c) => c.abort());
    const reader = new StreamReader(health.watch({ service: "late" }, { signal: controller.signal }));
    expect((await reader.next()).status).toBe(Serving.SERVICE_UNKNOWN);
    await mustRegisterJson(hub.url, {
      name: "late",
      host: "127.0.0.1",
      port: 9502,
      health_check: { disabled: true },
    });
    expect((await reader.next()).status).toBe(Serving.SERVING);
  });
});
