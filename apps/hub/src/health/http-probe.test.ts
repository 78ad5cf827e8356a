import * as http from "node:http";
import * as https from "node:https";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { createHttpProbe } from "./http-probe.js";
import type { Probe, ProbeTarget } from "./probe.js";
import {
  type ConnectionTracker,
  close,
  closedPort,
  deferred,
  hasIpv6Loopback,
  listen,
  selfSignedCert,
  selfSignedKey,
  trackConnections,
} from "./test-servers.js";

/** Route table of the test server: path -> handler. */
const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  "/ok": (_req, res) => res.end("ok"),
  "/unavailable": (_req, res) => {
    res.statusCode = 503;
    res.end("down");
  },
  "/standard-healthy": (_req, res) => json(res, { service_name: "svc", status: "healthy" }),
  "/standard-degraded": (_req, res) => json(res, { service_name: "svc", status: "degraded" }),
  "/standard-unhealthy": (_req, res) => json(res, { service_name: "svc", status: "unhealthy" }),
  "/proto-degraded": (_req, res) => json(res, { serviceName: "svc", status: "INSTANCE_STATUS_DEGRADED" }),
  "/redirect": (_req, res) => {
    res.writeHead(302, { location: "/ok" });
    res.end();
  },
  "/huge": (_req, res) => {
    // A 1 MiB body that would say "degraded" only if read past the limit.
    res.setHeader("content-type", "application/json");
    res.end(`{"pad":"${"x".repeat(1024 * 1024)}","status":"degraded"}`);
  },
  "/hang": () => {
    hangingRequests.resolve();
  },
};

let hangingRequests = deferred();

function json(res: http.ServerResponse, body: unknown): void {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const route = routes[req.url ?? ""];
  if (route) route(req, res);
  else {
    res.statusCode = 404;
    res.end();
  }
}

function target(port: number, path: string, protocol: "http" | "https" = "http"): ProbeTarget {
  return { key: `t-${path}`, protocol, host: "127.0.0.1", port, path, grpcService: "", timeoutMs: 500 };
}

describe("createHttpProbe", () => {
  let server: http.Server;
  let port: number;
  let probe: Probe;
  let clock: FakeClock;
  let connections: ConnectionTracker;

  beforeEach(async () => {
    hangingRequests = deferred();
    server = http.createServer(handler);
    connections = trackConnections(server);
    port = await listen(server);
    clock = new FakeClock();
    probe = createHttpProbe({ clock });
  });

  afterEach(async () => {
    await probe.close?.();
    await close(server);
    await connections.allClosed();
  });

  const check = (path: string) => probe(target(port, path), new AbortController().signal);

  it("passes on 2xx", async () => {
    expect(await check("/ok")).toEqual({ status: "passing", message: "200 OK", latencyMs: 0 });
  });

  it("fails on non-2xx with the status code in the message", async () => {
    expect(await check("/unavailable")).toMatchObject({
      status: "critical",
      message: "503 Service Unavailable",
    });
  });

  it.each([
    ["/standard-healthy", "passing", "200 OK"],
    ["/standard-degraded", "warning", "200 OK, service reports degraded"],
    ["/standard-unhealthy", "critical", "200 OK, service reports unhealthy"],
    ["/proto-degraded", "warning", "200 OK, service reports degraded"],
  ])("reads the standard health format at %s", async (path, status, message) => {
    expect(await check(path)).toMatchObject({ status, message });
  });

  it("does not follow redirects", async () => {
    expect(await check("/redirect")).toMatchObject({
      status: "critical",
      message: "302 Found (redirects are not followed)",
    });
  });

  it("reads at most maxBodyBytes of the body", async () => {
    const small = createHttpProbe({ clock, maxBodyBytes: 1024 });
    try {
      // The status field lies past the limit, so the truncated body says nothing: the code decides.
      expect(await small(target(port, "/huge"), new AbortController().signal)).toMatchObject({
        status: "passing",
        message: "200 OK",
      });
    } finally {
      await small.close?.();
    }
  });

  it("gives up on a hanging handler once target.timeoutMs passes", async () => {
    const pending = probe(target(port, "/hang"), new AbortController().signal);
    await hangingRequests.promise;
    clock.advance(499);
    clock.advance(1);
    expect(await pending).toEqual({ status: "critical", message: "timed out after 500 ms", latencyMs: 500 });
  });

  it("gives up when the caller's signal aborts first", async () => {
    const controller = new AbortController();
    const pending = probe(target(port, "/hang"), controller.signal);
    await hangingRequests.promise;
    clock.advance(100);
    controller.abort();
    expect(await pending).toEqual({ status: "critical", message: "probe cancelled", latencyMs: 100 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("reports a closed port as connection refused", async () => {
    const closed = await closedPort();
    expect(await probe(target(closed, "/ok"), new AbortController().signal)).toMatchObject({
      status: "critical",
      message: `connection refused (127.0.0.1:${closed})`,
    });
  });

  it("resolves at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await probe(target(port, "/ok"), controller.signal)).toMatchObject({
      status: "critical",
      message: "probe cancelled",
    });
  });

  it("reuses one kept-alive connection across probes", async () => {
    for (let i = 0; i < 5; i++) expect((await check("/ok")).status).toBe("passing");
    expect(connections.opened).toBe(1);
  });
});

describe("createHttpProbe over https", () => {
  let server: https.Server;
  let port: number;
  let connections: ConnectionTracker;

  beforeEach(async () => {
    server = https.createServer({ cert: selfSignedCert, key: selfSignedKey }, (_req, res) => res.end("ok"));
    connections = trackConnections(server);
    port = await listen(server);
  });

  afterEach(async () => {
    await close(server);
    await connections.allClosed();
  });

  it.each([
    ["rejects a self-signed certificate by default", {}, "critical", "tls: self-signed certificate"],
    ["accepts it when acceptSelfSignedCerts is set", { acceptSelfSignedCerts: true }, "passing", "200 OK"],
    ["accepts it when its issuer is given as ca", { ca: selfSignedCert }, "passing", "200 OK"],
  ])("%s", async (_name, options, status, message) => {
    const probe = createHttpProbe(options);
    try {
      const result = await probe(target(port, "/health", "https"), new AbortController().signal);
      expect(result.status).toBe(status);
      expect(result.message).toContain(message);
    } finally {
      await probe.close?.();
    }
  });
});

describe("createHttpProbe over IPv6", () => {
  it("brackets an IPv6 literal host in the request URL", async () => {
    expect(hasIpv6Loopback, "this machine has no IPv6 loopback (::1)").toBe(true);
    const server = http.createServer(handler);
    const connections = trackConnections(server);
    const port = await listen(server, "::1");
    const probe = createHttpProbe();
    try {
      const result = await probe({ ...target(port, "/ok"), host: "::1" }, new AbortController().signal);
      expect(result).toMatchObject({ status: "passing", message: "200 OK" });
    } finally {
      await probe.close?.();
      await close(server);
      await connections.allClosed();
    }
  });
});
