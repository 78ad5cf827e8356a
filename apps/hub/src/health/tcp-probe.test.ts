import * as net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import type { ProbeTarget } from "./probe.js";
import { createTcpProbe } from "./tcp-probe.js";
import { type ConnectionTracker, close, closedPort, listen, trackConnections } from "./test-servers.js";

function target(port: number, host = "127.0.0.1"): ProbeTarget {
  return { key: "tcp", protocol: "tcp", host, port, path: "", grpcService: "", timeoutMs: 500 };
}

describe("createTcpProbe", () => {
  let server: net.Server;
  let connections: ConnectionTracker;
  let port: number;
  const probe = createTcpProbe({ clock: new FakeClock() });

  beforeEach(async () => {
    server = net.createServer();
    connections = trackConnections(server);
    port = await listen(server);
  });

  afterEach(async () => {
    await close(server);
    await connections.allClosed();
  });

  it("passes when the port accepts a connection, and closes it", async () => {
    expect(await probe(target(port), new AbortController().signal)).toEqual({
      status: "passing",
      message: `connected to 127.0.0.1:${port}`,
      latencyMs: 0,
    });
    expect(connections.opened).toBe(1);
  });

  it("strips URL brackets from the host", async () => {
    expect((await probe(target(port, "[127.0.0.1]"), new AbortController().signal)).status).toBe("passing");
  });

  it("fails as connection refused on a closed port", async () => {
    const closed = await closedPort();
    expect(await probe(target(closed), new AbortController().signal)).toMatchObject({
      status: "critical",
      message: `connection refused (127.0.0.1:${closed})`,
    });
  });

  it("resolves at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await probe(target(port), controller.signal)).message).toBe("probe cancelled");
    expect(connections.opened).toBe(0);
  });
});
