import * as http from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CheckProtocol, Probe, ProbeTarget } from "./probe.js";
import { createProtocolProbe } from "./protocol-probe.js";
import { type ConnectionTracker, close, listen, trackConnections } from "./test-servers.js";

describe("createProtocolProbe", () => {
  let server: http.Server;
  let connections: ConnectionTracker;
  let port: number;
  let probe: Probe;

  beforeEach(async () => {
    // An HTTP/1.1 server: an HTTP GET passes, a TCP connect passes, gRPC (HTTP/2) cannot talk to it.
    server = http.createServer((_req, res) => res.end("ok"));
    connections = trackConnections(server);
    port = await listen(server);
    probe = createProtocolProbe();
  });

  afterEach(async () => {
    await probe.close?.();
    await close(server);
    await connections.allClosed();
  });

  const target = (protocol: CheckProtocol): ProbeTarget => ({
    key: protocol,
    protocol,
    host: "127.0.0.1",
    port,
    path: "/health",
    grpcService: "",
    timeoutMs: 1000,
  });

  it.each<[CheckProtocol, string, RegExp]>([
    ["http", "passing", /^200 OK$/],
    ["tcp", "passing", /^connected to /],
    ["h2c", "critical", /^grpc /],
  ])("probes a %s target with the matching check", async (protocol, status, message) => {
    const result = await probe(target(protocol), AbortSignal.timeout(5000));
    expect(result.status).toBe(status);
    expect(result.message).toMatch(message);
    probe.release?.(target(protocol));
  });
});
