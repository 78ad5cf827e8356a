import * as net from "node:net";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isBaseServiceError } from "../src/base-service-error.js";
import type { HealthReport } from "../src/health/index.js";
import { logger, runWithTenant } from "../src/index.js";
import { outgoingHeaders, tenantFetch } from "../src/outgoing.js";
import { noContent, rawReply, reply } from "../src/reply.js";
import { currentTenant } from "../src/request-scope.js";
import { ServiceError } from "../src/service-error.js";
import { FakeClock } from "@hub/test-support";
import { eventually, getJson, useResources } from "./support/resources.js";

const proTenant = {
  "x-company-id": "company_abc",
  "x-user-id": "user_123",
  "x-subscription-tier": "pro",
  "x-correlation-id": "req_456",
};

describe("BaseService /health", () => {
  const resources = useResources();

  it("serves the standard format", async () => {
    const { service } = resources.service({ serviceName: "orders", version: "1.2.0" });
    service.addDependency("database", () => true, { critical: true });
    const { url } = await service.start();
    await getJson(`${url}/anything`, { headers: proTenant });
    const { status, headers, body } = await getJson<HealthReport>(`${url}/health`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(Object.keys(body)).toEqual([
      "service_name",
      "status",
      "timestamp",
      "version",
      "uptime_seconds",
      "performance_metrics",
      "system_resources",
      "dependencies",
      "tenant_context",
    ]);
    expect(body).toMatchObject({
      service_name: "orders",
      status: "healthy",
      version: "1.2.0",
      dependencies: { database: "healthy" },
      tenant_context: { active_tenants: 1, tenant_isolation_status: "healthy" },
    });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(Object.keys(body.performance_metrics).sort()).toEqual([
      "error_rate_percent",
      "response_time_ms",
      "throughput_rps",
    ]);
    // The 404 above is one measured request; /health itself is not measured.
    expect(body.performance_metrics.throughput_rps).toBeGreaterThan(0);
    for (const value of Object.values(body.system_resources)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100_000);
    }
    expect(body.system_resources.memory_usage_mb).toBeGreaterThan(1);
  });

  it("moves healthy → degraded → unhealthy (503) → healthy with its dependency checks", async () => {
    const state = { cache: true, database: true as boolean | "degraded" };
    const { service, logs } = resources.service();
    service.addDependency("cache", () => state.cache);
    service.addDependency("database", () => state.database, { critical: true });
    const { url } = await service.start();
    const health = () => getJson<HealthReport>(`${url}/health`);

    expect((await health()).body.status).toBe("healthy");

    state.cache = false;
    expect(await health()).toMatchObject({
      status: 200,
      body: { status: "degraded", dependencies: { cache: "unhealthy", database: "healthy" } },
    });

    state.database = "degraded";
    expect((await health()).body).toMatchObject({
      status: "degraded",
      dependencies: { database: "degraded" },
    });

    state.database = false;
    expect(await health()).toMatchObject({
      status: 503,
      body: { status: "unhealthy", dependencies: { cache: "unhealthy", database: "unhealthy" } },
    });

    state.cache = true;
    state.database = true;
    expect(await health()).toMatchObject({ status: 200, body: { status: "healthy" } });

    expect(logs.withMsg("dependency not healthy").map((l) => [l.dependency, l.to])).toEqual([
      ["cache", "unhealthy"],
      ["database", "degraded"],
      ["database", "unhealthy"],
    ]);
    expect(logs.withMsg("health status changed").map((l) => l.to)).toEqual([
      "degraded",
      "unhealthy",
      "healthy",
    ]);
  });

  it("reports a hanging dependency unhealthy after its timeout instead of hanging", async () => {
    const { service } = resources.service({ dependencyTimeoutMs: 50 });
    service.addDependency("stuck", () => new Promise(() => {}));
    const { url } = await service.start();
    const started = Date.now();
    const { body } = await getJson<HealthReport>(`${url}/health`);
    expect(body.dependencies).toEqual({ stuck: "unhealthy" });
    expect(body.status).toBe("degraded");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("serves the configured health path, HEAD too, and Prometheus metrics", async () => {
    const { service } = resources.service({ healthEndpoint: "/status", metricsEndpoint: "/prom" });
    service.get("/ping", () => "pong");
    const { url } = await service.start();
    await fetch(`${url}/ping`);
    expect((await fetch(`${url}/status`)).status).toBe(200);
    const head = await fetch(`${url}/status`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const metrics = await fetch(`${url}/prom`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toContain('perf_operation_duration_seconds_count{service="orders",operation="GET /ping"} 1');
    expect(text).not.toContain("/status");
  });
});

describe("BaseService routes and envelope", () => {
  const resources = useResources();

  it("wraps results in the success envelope with the request's correlation id", async () => {
    const { service } = resources.service();
    service.get("/orders/:id", (ctx) => ({ id: ctx.params.id }));
    const { url } = await service.start();
    const { status, headers, body } = await getJson(`${url}/orders/o-1`, { headers: proTenant });
    expect(status).toBe(200);
    expect(headers.get("x-correlation-id")).toBe("req_456");
    expect(body).toEqual({
      success: true,
      data: { id: "o-1" },
      error: null,
      correlation_id: "req_456",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("sends replies with their status and headers, raw bodies and empty answers", async () => {
    const { service } = resources.service();
    service.post("/orders", () =>
      reply({ id: "o-2" }, { status: 201, headers: { location: "/orders/o-2" } }),
    );
    service.get("/raw", () => rawReply({ plain: true }));
    service.get("/text", () => rawReply("hello", { headers: { "content-type": "text/csv" } }));
    service.delete("/orders/:id", () => noContent());
    service.get("/nothing", () => undefined);
    service.get("/self", (ctx) => {
      ctx.response.writeHead(202, { "content-type": "text/plain" });
      ctx.response.end("written by hand");
    });
    const { url } = await service.start();

    const created = await fetch(`${url}/orders`, { method: "POST" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/orders/o-2");
    expect(((await created.json()) as { data: unknown }).data).toEqual({ id: "o-2" });
    expect((await getJson(`${url}/raw`)).body).toEqual({ plain: true });
    const text = await fetch(`${url}/text`);
    expect([text.headers.get("content-type"), await text.text()]).toEqual(["text/csv", "hello"]);
    expect((await fetch(`${url}/orders/o-2`, { method: "DELETE" })).status).toBe(204);
    expect((await getJson<{ data: unknown }>(`${url}/nothing`)).body.data).toBeNull();
    const self = await fetch(`${url}/self`);
    expect([self.status, await self.text()]).toEqual([202, "written by hand"]);
  });

  it("maps typed errors to their status and unknown errors to a 500 that leaks nothing, with ErrorDNA in the log", async () => {
    class MarginError extends Error {}
    const { service, logs } = resources.service(
      {},
      {
        errorMappers: [
          (error) =>
            error instanceof MarginError ? new ServiceError("CONFLICT", "insufficient margin") : undefined,
        ],
      },
    );
    service.get("/missing", () => {
      throw new ServiceError("NOT_FOUND", "order o-9 does not exist", { details: { id: "o-9" } });
    });
    service.get("/margin", () => {
      throw new MarginError("account 7 has 3 USD");
    });
    service.get("/boom", async () => {
      await Promise.resolve();
      throw new Error("connect ECONNREFUSED 10.0.0.7:5432 password=hunter2");
    });
    const { url } = await service.start();

    expect(await getJson(`${url}/missing`)).toMatchObject({
      status: 404,
      body: {
        success: false,
        data: null,
        error: { code: "not_found", message: "order o-9 does not exist", details: { id: "o-9" } },
      },
    });
    expect(await getJson(`${url}/margin`)).toMatchObject({
      status: 409,
      body: { error: { code: "conflict", message: "insufficient margin" } },
    });

    const boom = await getJson<{ error: unknown; correlation_id: string }>(`${url}/boom`, {
      headers: proTenant,
    });
    expect(boom.status).toBe(500);
    expect(boom.body.error).toEqual({ code: "internal", message: "internal error" });
    expect(JSON.stringify(boom.body)).not.toContain("hunter2");

    const [failed] = logs.withMsg("request failed");
    expect(failed).toMatchObject({
      level: 50,
      correlation_id: "req_456",
      company_id: "company_abc",
      status: 500,
      err: { message: "connect ECONNREFUSED 10.0.0.7:5432 password=hunter2" },
      errorDna: { category: "network", template: expect.stringContaining("ECONNREFUSED") },
    });
    expect((failed!.errorDna as { suggestions: string[] }).suggestions.length).toBeGreaterThan(0);
    // 4xx are expected answers, not failures: no ErrorDNA, no error level.
    expect(logs.withMsg("request failed")).toHaveLength(1);
  });

  it("answers unknown paths 404, wrong methods 405 with Allow", async () => {
    const { service } = resources.service();
    service.get("/orders", () => []);
    const { url } = await service.start();
    expect(await getJson(`${url}/nope`)).toMatchObject({
      status: 404,
      body: { error: { code: "not_found" } },
    });
    const wrong = await getJson(`${url}/orders`, { method: "PUT" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD");
  });

  it("parses and validates JSON bodies with clear 4xx answers", async () => {
    const Order = z.strictObject({ symbol: z.string(), quantity: z.number().positive() });
    const { service } = resources.service({ maxBodyBytes: 100 });
    service.post("/orders", async (ctx) => ctx.json((value) => Order.parse(value)));
    const { url } = await service.start();
    const post = (body: string, type = "application/json") =>
      getJson<{ error: { code: string; message: string } }>(`${url}/orders`, {
        method: "POST",
        body,
        headers: { "content-type": type },
      });

    expect((await post('{"symbol":"EURUSD","quantity":10}')).status).toBe(200);
    expect(await post("{oops")).toMatchObject({ status: 400, body: { error: { code: "invalid_argument" } } });
    expect((await post("{oops")).body.error.message).toMatch(/^request body is not valid JSON: /);
    expect((await post('{"symbol":"EURUSD","quantity":-1}')).body.error.message).toMatch(
      /^quantity: Too small/,
    );
    expect((await post("a=1", "application/x-www-form-urlencoded")).status).toBe(415);
    const big = await post(JSON.stringify({ symbol: "x".repeat(200), quantity: 1 }));
    expect(big).toMatchObject({
      status: 413,
      body: { error: { code: "payload_too_large", details: { limit: 100 } } },
    });
  });

  it("hands unmatched requests to a mounted handler, inside the tenant scope", async () => {
    const { service } = resources.service();
    service.get("/own", () => "own");
    service.mount((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ mounted: true, company: currentTenant()?.companyId }));
    });
    const { url } = await service.start();
    expect((await getJson(`${url}/legacy/path`, { headers: proTenant })).body).toEqual({
      mounted: true,
      company: "company_abc",
    });
    expect((await getJson<{ data: string }>(`${url}/own`)).body.data).toBe("own");
  });
});

describe("BaseService tenant context", () => {
  const resources = useResources();

  it("answers a bad tier or tenant id with a 400 before the handler runs", async () => {
    const { service } = resources.service();
    let ran = false;
    service.get("/x", () => {
      ran = true;
    });
    const { url } = await service.start();
    expect(
      await getJson(`${url}/x`, { headers: { "x-subscription-tier": "gold", "x-correlation-id": "c-1" } }),
    ).toMatchObject({
      status: 400,
      body: {
        correlation_id: "c-1",
        error: {
          code: "invalid_argument",
          message: 'x-subscription-tier: must be free, pro or enterprise, not "gold"',
        },
      },
    });
    expect((await getJson(`${url}/x`, { headers: { "x-company-id": "c".repeat(300) } })).status).toBe(400);
    expect(ran).toBe(false);
  });

  it("carries the tenant through async hops and into outgoing calls", async () => {
    const echo = await resources.echo();
    const { service } = resources.service();
    service.get("/hops", async () => {
      const seen: Array<string | undefined> = [];
      seen.push(currentTenant()?.companyId);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(currentTenant()?.companyId);
      await new Promise<void>((resolve) => setImmediate(resolve));
      seen.push(currentTenant()?.companyId);
      const [a, b] = await Promise.all([
        (async () => currentTenant()?.userId)(),
        new Promise<string | undefined>((resolve) =>
          process.nextTick(() => resolve(currentTenant()?.subscriptionTier)),
        ),
      ]);
      seen.push(a, b);
      const downstream = await tenantFetch(`${echo.url}/risk/validate`, { method: "POST", body: "{}" });
      const echoed = ((await downstream.json()) as { headers: Record<string, string> }).headers;
      return { seen, echoed, headers: outgoingHeaders() };
    });
    const { url } = await service.start();
    const { body } = await getJson<{
      data: { seen: string[]; echoed: Record<string, string>; headers: Record<string, string> };
    }>(`${url}/hops`, { headers: proTenant });
    expect(body.data.seen).toEqual(["company_abc", "company_abc", "company_abc", "user_123", "pro"]);
    expect(body.data.echoed).toMatchObject(proTenant);
    expect(body.data.headers).toEqual(proTenant);
  });

  it("keeps concurrent requests' tenants apart", async () => {
    const echo = await resources.echo();
    const { service } = resources.service();
    service.get("/slow/:ms", async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, Number(ctx.params.ms)));
      await tenantFetch(echo.url);
      return currentTenant()?.companyId;
    });
    const { url } = await service.start();
    const companies = Array.from({ length: 20 }, (_, i) => `company_${i}`);
    const answers = await Promise.all(
      companies.map((company, i) =>
        getJson<{ data: string }>(`${url}/slow/${(i * 7) % 20}`, { headers: { "x-company-id": company } }),
      ),
    );
    expect(answers.map((answer) => answer.body.data)).toEqual(companies);
    expect(echo.received.map((headers) => headers["x-company-id"]).sort()).toEqual([...companies].sort());
  });

  it("puts the correlation id and tenant on every log line of a request, logger() included", async () => {
    const { service, logs } = resources.service();
    service.get("/work", async (ctx) => {
      ctx.log.info("from the context logger");
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger().info({ step: 2 }, "from logger()");
    });
    const { url } = await service.start();
    await fetch(`${url}/work`, { headers: proTenant });
    await eventually(() => expect(logs.withMsg("request completed")).toHaveLength(1));
    const lines = logs.lines.filter((line) => line.correlation_id !== undefined);
    expect(lines.map((line) => line.msg)).toEqual([
      "from the context logger",
      "from logger()",
      "request completed",
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({
        correlation_id: "req_456",
        company_id: "company_abc",
        user_id: "user_123",
        subscription_tier: "pro",
      });
    }
    // Outside a request, logger() is the running service's root logger.
    logger().info("outside");
    expect(logs.withMsg("outside")[0]?.correlation_id).toBeUndefined();
  });

  it("makes a correlation id when the request has none and runWithTenant scopes background work", async () => {
    const { service } = resources.service();
    service.get("/id", (ctx) => ctx.tenant.correlationId);
    const { url } = await service.start();
    const { headers, body } = await getJson<{ data: string; correlation_id: string }>(`${url}/id`);
    expect(body.data).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.get("x-correlation-id")).toBe(body.data);
    expect(body.correlation_id).toBe(body.data);
    expect(runWithTenant({ correlationId: "job-1", companyId: "c" }, () => outgoingHeaders())).toEqual({
      "x-correlation-id": "job-1",
      "x-company-id": "c",
    });
  });
});

describe("BaseService lifecycle", () => {
  const resources = useResources();

  it("refuses a second start and a bad config", async () => {
    const { service } = resources.service();
    await service.start();
    await expect(service.start()).rejects.toSatisfy((error) => isBaseServiceError(error, "INVALID_STATE"));
    expect(() => resources.service({ serviceName: "Bad Name" })).toThrow(/^serviceName: must be lower-case/);
  });

  it("fails to start with LISTEN_FAILED on a taken port and ends stopped", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { service } = resources.service({ port });
      await expect(service.start()).rejects.toSatisfy((error) => isBaseServiceError(error, "LISTEN_FAILED"));
      expect(service.state()).toBe("stopped");
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("stops without a start, and stop() twice returns the same promise", async () => {
    const { service } = resources.service();
    const first = service.stop();
    expect(service.stop()).toBe(first);
    await first;
    expect(service.state()).toBe("stopped");
  });

  it("runs shutdown hooks after the server closed", async () => {
    const { service } = resources.service();
    const order: string[] = [];
    service.onShutdown(async () => {
      order.push(`hook while ${service.state()}`);
    });
    service.onShutdown(() => {
      throw new Error("a broken hook does not stop the others");
    });
    service.onShutdown(() => {
      order.push("second hook");
    });
    const { url } = await service.start();
    await service.stop();
    expect(order).toEqual(["hook while stopping", "second hook"]);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("installs SIGTERM/SIGINT handlers only when asked, stops on a signal, exits 0 and removes them", async () => {
    const before = process.listenerCount("SIGTERM");
    const { service: quiet } = resources.service();
    await quiet.start();
    expect(process.listenerCount("SIGTERM")).toBe(before);

    const exits: number[] = [];
    const { service } = resources.service({}, { handleSignals: true, exit: (code) => exits.push(code) });
    await service.start();
    expect(process.listenerCount("SIGTERM")).toBe(before + 1);
    expect(process.listenerCount("SIGINT")).toBeGreaterThan(0);
    process.emit("SIGTERM", "SIGTERM");
    await eventually(() => expect(exits).toEqual([0]));
    expect(service.state()).toBe("stopped");
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });

  it("exits at once with 1 on a second signal during shutdown", async () => {
    const exits: number[] = [];
    const { service } = resources.service({}, { handleSignals: true, exit: (code) => exits.push(code) });
    service.onShutdown(() => new Promise((resolve) => setTimeout(resolve, 100)));
    await service.start();
    process.emit("SIGINT", "SIGINT");
    process.emit("SIGINT", "SIGINT");
    expect(exits).toEqual([1]);
    await eventually(() => expect(exits).toEqual([1, 0]));
  });

  it("keeps waiting for an in-flight request until the deadline on its clock, then cuts it off", async () => {
    const clock = new FakeClock();
    const { service, logs } = resources.service({ shutdownTimeoutMs: 10_000 }, { clock });
    let signal: AbortSignal | undefined;
    service.get("/hang", (ctx) => {
      signal = ctx.signal;
      return new Promise(() => {});
    });
    const { url } = await service.start();
    const hanging = fetch(`${url}/hang`).then(
      () => "answered",
      () => "cut off",
    );
    await eventually(() => expect(signal).toBeDefined());
    const stopped = service.stop();
    await clock.advance(9_999);
    expect(service.state()).toBe("stopping");
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    await stopped;
    expect(await hanging).toBe("cut off");
    expect(signal?.aborted).toBe(true);
    expect(logs.withMsg("cut off requests still running at the deadline")[0]).toMatchObject({
      abandoned_requests: 1,
    });
  });
});
