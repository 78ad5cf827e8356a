import { Writable } from "node:stream";
import { connect } from "node:http2";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHub, createLogger, listen, loadConfig } from "../src/index.js";
import { type ErrorJson, registerJson, requestJson, type ServiceJson } from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";

const base = { name: "edge", host: "127.0.0.1", port: 9100, health_check: { disabled: true } };

describe("what the JSON paths refuse, and how they say it", () => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.close());

  it.each([
    [{ health_endpont: "/health" }, "health_endpont", "is not a registration field"],
    [{ health_check: { interval: 5 } }, "health_check.interval", "is not a registration field"],
    [{ port: "8001" }, "port", "must be a number, got string"],
    [{ port: 80.5 }, "port", "must be an integer"],
    [{ tags: "a" }, "tags", "must be an array, got string"],
    [{ ttl_seconds: 0 }, "ttl_seconds", "must be 1-86400 seconds"],
    [{ host: "0.0.0.0" }, "host", "not an unspecified address"],
    [{ host: "999.1.1.1" }, "host", "must be a hostname"],
  ])("refuses %o naming %s", async (extra, field, reason) => {
    const answer = await registerJson(hub.url, { ...base, ...extra });
    expect(answer.status).toBe(400);
    const { error } = answer.body as unknown as ErrorJson;
    expect(error.field).toBe(field);
    expect(error.message).toContain(reason);
  });

  it("takes legacy_mode as true/1/yes in any case, and refuses anything else", async () => {
    await registerJson(hub.url, { ...base, name: "pro-only", subscription_requirements: ["pro"] });
    const free = { "x-subscription-tier": "free" };
    const list = (query: string) =>
      requestJson<{ services: ServiceJson[] } & ErrorJson>(`${hub.url}/services/?${query}`, {
        headers: free,
      });
    expect((await list("")).body.services.map((s) => s.name)).not.toContain("pro-only");
    for (const value of ["True", "TRUE", "1", "yes"]) {
      expect((await list(`legacy_mode=${value}`)).body.services.map((s) => s.name)).toContain("pro-only");
    }
    const bad = await list("legacy_mode=maybe");
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("legacy_mode");
  });
});

describe("methods the hub does not have", () => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.close());

  it("answers gRPC clients with UNIMPLEMENTED, not an HTTP error they cannot read", async () => {
    const session = connect(hub.url);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/hub.v1.GhostService/Register",
        "content-type": "application/grpc",
        te: "trailers",
      });
      stream.end(Buffer.alloc(5)); // one empty, uncompressed gRPC message
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.on("response", resolve));
      stream.resume();
      expect(headers[":status"]).toBe(200);
      expect(headers["grpc-status"]).toBe(String(Code.Unimplemented));
    } finally {
      session.close();
    }
  });

  it("answers Connect clients with unimplemented", async () => {
    const answer = await requestJson<{ code: string }>(`${hub.url}/hub.v1.GhostService/Register`, {
      json: {},
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe("unimplemented");
  });
});

describe("the registry's story in the default log", () => {
  it("logs registrations, status changes and removals at info/warn", async () => {
    const lines: Array<{ msg: string; raw: string; service?: string; from?: string; to?: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n"))
          if (line) lines.push({ ...JSON.parse(line), raw: line });
        done();
      },
    });
    const config = loadConfig(["--port", "0", "--storage", "memory"], {});
    const hub = await createHub({
      config,
      logger: createLogger({ logLevel: "info", serviceName: "central-hub" }, sink),
    });
    const listener = await listen(hub.handler, { host: "127.0.0.1", port: 0 });
    try {
      const { body } = await registerJson(listener.url, {
        ...base,
        health_check: { interval_seconds: 0.2, timeout_seconds: 0.1, rise: 1, fall: 1 },
      });
      const id = (body as { id: string }).id;
      // Nothing listens on port 9100: the first check turns it unhealthy.
      await expect
        .poll(() => lines.find((l) => l.msg === "instance status changed"), { timeout: 5000 })
        .toMatchObject({ serviceName: "edge", from: "unknown", to: "unhealthy" });
      // The line's own "service" stays the hub's: no key appears twice in a log line.
      expect(lines.find((l) => l.msg === "instance registered")).toMatchObject({ serviceName: "edge" });
      for (const line of lines) expect(line.raw.match(/"service":/g)?.length ?? 0).toBeLessThanOrEqual(1);
      await requestJson(`${listener.url}/services/edge/instances/${id}`, { method: "DELETE" });
      await expect
        .poll(() => lines.map((l) => l.msg), { timeout: 5000 })
        .toEqual(
          expect.arrayContaining(["instance registered", "instance status changed", "instance removed"]),
        );
    } finally {
      await listener.close();
      await hub.close();
    }
  });
});
