import * as http from "node:http";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectErrorOf } from "./support/connect-error.js";
import { type ErrorJson, requestJson } from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { openClients, transportKinds } from "./support/transports.js";

const maxBodyBytes = 1024;

/** Metadata that keeps within every registration limit but makes the body about 2.5 KiB. */
const bulkyMetadata = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`key-${i}`, "x".repeat(250)]));

let running: RunningHub;
beforeAll(async () => {
  running = await startHub(["--max-body-bytes", String(maxBodyBytes)]);
});
afterAll(async () => {
  await running?.close();
});

async function expectHubAlive(): Promise<void> {
  const health = await requestJson<{ status: string }>(`${running.url}/health`);
  expect(health.status).toBe(200);
  expect(health.body.status).toBe("healthy");
}

/** POSTs `body` with chunked transfer encoding (no content-length), as a streaming client does. */
function postChunked(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      agent: false,
    });
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    for (let i = 0; i < body.length; i += 256) request.write(body.slice(i, i + 256));
    request.end();
  });
}

describe("request limits on the plain JSON paths", () => {
  const bulky = { name: "bulky", host: "127.0.0.1", port: 9201, metadata: bulkyMetadata };

  it("answers 413 to a body over --max-body-bytes", async () => {
    expect(JSON.stringify(bulky).length).toBeGreaterThan(maxBodyBytes);
    const answer = await requestJson<ErrorJson>(`${running.url}/services/register`, { json: bulky });
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toContain(String(maxBodyBytes));
    expect((await requestJson(`${running.url}/services/bulky?legacy_mode=true`)).status).toBe(404);
    await expectHubAlive();
  });

  it("answers 413 to a chunked body that grows over the limit without a content-length", async () => {
    const answer = await postChunked(`${running.url}/services/register`, JSON.stringify(bulky));
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as ErrorJson).error.message).toContain(String(maxBodyBytes));
    await expectHubAlive();
  });

  it.each([
    {
      label: "application/json; charset=utf-8",
      headers: { "content-type": "application/json; charset=utf-8" },
      port: 9211,
    },
    {
      label: "application/problem+json",
      headers: { "content-type": "application/problem+json" },
      port: 9212,
    },
    { label: "no content-type at all", headers: {}, port: 9213 },
  ])("accepts a JSON body sent with $label", async ({ headers, port }) => {
    const answer = await requestJson<{ id: string }>(`${running.url}/services/register`, {
      method: "POST",
      headers,
      raw: JSON.stringify({ name: "typed", host: "127.0.0.1", port, health_check: { disabled: true } }),
    });
    expect(answer.status).toBe(201);
    expect(answer.body.id).toBe(`127.0.0.1-${port}`);
  });

  it.each([
    ["text/plain", "name=x"],
    ["application/x-www-form-urlencoded", "name=x&port=1"],
    ["application/xml", "<instance/>"],
  ])("answers 415 to a %s body", async (contentType, raw) => {
    const answer = await requestJson<ErrorJson>(`${running.url}/services/register`, {
      method: "POST",
      headers: { "content-type": contentType },
      raw,
    });
    expect(answer.status).toBe(415);
    expect(answer.body.error.message).toContain("content-type");
    await expectHubAlive();
  });

  it.each([
    ["POST", "/services/register", '{"name": "x",'],
    ["POST", "/services/discover", "{name: 'x'}"],
    ["PUT", "/services/x/instances/y/heartbeat", "[1, 2"],
  ])("answers 400 to malformed JSON on %s %s", async (method, path, raw) => {
    const answer = await requestJson<ErrorJson>(`${running.url}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      raw,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "invalid_argument", field: "body" });
    await expectHubAlive();
  });

  it.each([
    ["PUT", "/services/register", "POST"],
    ["DELETE", "/services/discover/x", "GET"],
    ["POST", "/services/", "GET"],
    ["POST", "/health", "GET"],
    ["GET", "/services/x/instances/y/heartbeat", "PUT"],
  ])("answers 405 to %s %s, allowing %s", async (method, path, allowed) => {
    const answer = await requestJson<ErrorJson>(`${running.url}${path}`, { method });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")?.split(", ")).toContain(allowed);
    expect(answer.body.error.code).toBe("method_not_allowed");
    await expectHubAlive();
  });
});

describe("request limits on Connect, gRPC and gRPC-web", () => {
  it.each(transportKinds)(
    "answers ResourceExhausted to a request over --max-body-bytes over $name",
    async (kind) => {
      const clients = openClients(kind, running.url);
      try {
        const error = await connectErrorOf(
          clients.registry.register({
            instance: { name: `bulky-${kind.slug}`, host: "127.0.0.1", port: 9202, metadata: bulkyMetadata },
          }),
        );
        expect(error.code).toBe(Code.ResourceExhausted);
        // The same connection still serves a request within the limit.
        const small = await clients.registry.register({
          instance: {
            name: `small-${kind.slug}`,
            host: "127.0.0.1",
            port: 9203,
            healthCheck: { disabled: true },
          },
        });
        expect(small.instance?.spec?.id).toBe("127.0.0.1-9203");
      } finally {
        clients.close();
      }
      await expectHubAlive();
    },
  );
});
