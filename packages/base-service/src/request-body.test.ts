import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isJsonContentType, readBody, readJsonBody } from "./request-body.js";
import type { ServiceError } from "./service-error.js";

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that answers with what `read` made of the body, or the ServiceError's status and message. */
async function serve(read: (request: http.IncomingMessage) => Promise<unknown>): Promise<string> {
  server = http.createServer((request, response) => {
    read(request).then(
      (value) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ value: value instanceof Buffer ? value.toString("utf8") : value }));
      },
      (error: ServiceError) => {
        response.writeHead(error.status, { ...error.headers });
        response.end(JSON.stringify({ code: error.code, message: error.message }));
      },
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return {
    status: response.status,
    connection: response.headers.get("connection"),
    body: await response.json(),
  };
}

function chunked(parts: readonly string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
}

describe("readBody", () => {
  it("reads a body within the limit", async () => {
    const url = await serve((request) => readBody(request, { maxBytes: 10 }));
    expect(await post(url, "0123456789")).toMatchObject({ status: 200, body: { value: "0123456789" } });
  });

  it("refuses a body whose content-length is over the limit, and closes the connection", async () => {
    const url = await serve((request) => readBody(request, { maxBytes: 10 }));
    const answer = await post(url, "x".repeat(11));
    expect(answer).toMatchObject({
      status: 413,
      connection: "close",
      body: { code: "PAYLOAD_TOO_LARGE", message: "request body is over the limit of 10 bytes" },
    });
  });

  it("refuses a chunked body as soon as it passes the limit", async () => {
    const url = await serve((request) => readBody(request, { maxBytes: 10 }));
    const answer = await post(url, chunked(["12345", "67890", "X"]));
    expect(answer.status).toBe(413);
  });
});

describe("readJsonBody", () => {
  it("parses JSON", async () => {
    const url = await serve((request) => readJsonBody(request));
    expect(await post(url, '{"a":[1,2]}', { "content-type": "application/json" })).toMatchObject({
      status: 200,
      body: { value: { a: [1, 2] } },
    });
  });

  it.each([
    ["{bad", { "content-type": "application/json" }, 400, /^request body is not valid JSON: /],
    ["", { "content-type": "application/json" }, 400, /^request body is empty; expected JSON$/],
    [
      "a=1",
      { "content-type": "application/x-www-form-urlencoded" },
      415,
      /^content-type must be application\/json/,
    ],
  ])("answers %j (%j) with %i", async (body, headers, status, message) => {
    const url = await serve((request) => readJsonBody(request));
    const answer = await post(url, body, headers);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toMatch(message);
  });

  it("reads an empty body as undefined when not required", async () => {
    const url = await serve((request) =>
      readJsonBody(request, { required: false }).then((value) => value ?? "none"),
    );
    expect((await post(url, "", { "content-type": "application/json" })).body).toEqual({ value: "none" });
  });
});

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["Application/JSON; charset=utf-8", true],
    ["application/problem+json", true],
    ["text/json", false],
    ["application/jsonp", false],
    ["text/plain", false],
  ])("%s → %s", (type, expected) => {
    expect(isJsonContentType(type)).toBe(expected);
  });
});
