import * as http2 from "node:http2";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { createGrpcProbe } from "./grpc-probe.js";
import type { Probe, ProbeTarget } from "./probe.js";
import {
  type ConnectionTracker,
  close,
  closedPort,
  deferred,
  listen,
  trackConnections,
} from "./test-servers.js";

const { SERVING, NOT_SERVING } = HealthCheckResponse_ServingStatus;

/** A grpc.health.v1 server answering from a table of service name -> status. */
function healthRoutes(statuses: Record<string, HealthCheckResponse_ServingStatus>, hang?: () => void) {
  return (router: ConnectRouter) => {
    router.service(Health, {
      async check(request, context) {
        if (request.service === "hang") {
          hang?.();
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
        }
        const status = statuses[request.service];
        if (status === undefined) throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
        return { status };
      },
    });
  };
}

function target(port: number, grpcService = "", key = `grpc-${grpcService}`): ProbeTarget {
  return { key, protocol: "h2c", host: "127.0.0.1", port, path: "", grpcService, timeoutMs: 500 };
}

describe("createGrpcProbe", () => {
  const servers: { server: http2.Http2Server; connections: ConnectionTracker }[] = [];
  let probe: Probe | undefined;

  async function start(routes: (router: ConnectRouter) => void): Promise<number> {
    const server = http2.createServer(connectNodeAdapter({ routes }));
    const connections = trackConnections(server);
    servers.push({ server, connections });
    return listen(server);
  }

  afterEach(async () => {
    await probe?.close?.();
    probe = undefined;
    for (const { server, connections } of servers.splice(0)) {
      await close(server);
      await connections.allClosed();
    }
  });

  const check = (t: ProbeTarget) => probe!(t, new AbortController().signal);

  it("passes when the server is SERVING", async () => {
    const port = await start(healthRoutes({ "": SERVING }));
    probe = createGrpcProbe({ clock: new FakeClock() });
    expect(await check(target(port))).toEqual({ status: "passing", message: "SERVING", latencyMs: 0 });
  });

  it("fails when the checked service is NOT_SERVING", async () => {
    const port = await start(healthRoutes({ "": SERVING, "orders.v1.Orders": NOT_SERVING }));
    probe = createGrpcProbe();
    expect(await check(target(port, "orders.v1.Orders"))).toMatchObject({
      status: "critical",
      message: 'NOT_SERVING (service "orders.v1.Orders")',
    });
  });

  it("fails with the gRPC code when the server has no health service", async () => {
    const port = await start(() => {});
    probe = createGrpcProbe();
    const result = await check(target(port));
    expect(result.status).toBe("critical");
    expect(result.message).toMatch(/^grpc unimplemented: /);
  });

  it("fails with the gRPC code the health service returns", async () => {
    const port = await start(healthRoutes({ "": SERVING }));
    probe = createGrpcProbe();
    expect(await check(target(port, "nope"))).toMatchObject({
      status: "critical",
      message: "grpc not_found: unknown service nope",
    });
  });

  it("fails as unavailable on a closed port", async () => {
    const port = await closedPort();
    probe = createGrpcProbe();
    expect(await check(target(port))).toMatchObject({
      status: "critical",
      message: `grpc unavailable: connection refused (127.0.0.1:${port})`,
    });
  });

  it("gives up once target.timeoutMs passes", async () => {
    const entered = deferred();
    const port = await start(healthRoutes({ "": SERVING }, () => entered.resolve()));
    const clock = new FakeClock();
    probe = createGrpcProbe({ clock });
    const pending = probe(target(port, "hang"), new AbortController().signal);
    await entered.promise;
    clock.advance(500);
    expect(await pending).toEqual({ status: "critical", message: "timed out after 500 ms", latencyMs: 500 });
  });

  it("shares one connection per host:port and closes it when its last target is released", async () => {
    const port = await start(healthRoutes({ "": SERVING, a: SERVING }));
    const connections = servers[0]!.connections;
    probe = createGrpcProbe();
    const first = target(port, "", "first");
    const second = target(port, "a", "second");
    expect((await check(first)).status).toBe("passing");
    expect((await check(second)).status).toBe("passing");
    expect(connections.opened).toBe(1);

    probe.release?.(first);
    expect((await check(second)).status).toBe("passing");
    expect(connections.opened).toBe(1);

    probe.release?.(second);
    await connections.allClosed();
    expect((await check(first)).status).toBe("passing");
    expect(connections.opened).toBe(2);
  });
});
