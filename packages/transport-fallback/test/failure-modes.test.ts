import { Code, ConnectError, createClient, createContextValues } from "@connectrpc/connect";
import { Health } from "@hub/proto";
import { describe, expect, it } from "vitest";
import { AllTransportsFailedError } from "../src/all-transports-failed-error.js";
import { idempotentCall } from "../src/retry-safety.js";
import { useResources } from "./support/resources.js";
import {
  refusedUrl,
  startApplicationErrorServer,
  startDroppingServer,
  startFailAfterReadServer,
  startHangingServer,
} from "./support/servers.js";

const idempotent = { contextValues: createContextValues().set(idempotentCall, true) };

async function failureOf(promise: Promise<unknown>): Promise<AllTransportsFailedError> {
  const error = await promise.then(
    () => new Error("expected the call to fail"),
    (reason: unknown) => reason,
  );
  if (error instanceof AllTransportsFailedError) return error;
  throw error;
}

const transportsOf = (error: AllTransportsFailedError) => error.attempts.map((attempt) => attempt.transport);

describe("a port that refuses connections", () => {
  const use = useResources();

  it("tries every transport, even for a non-idempotent call, as nothing was sent", async () => {
    const { manager } = use.manager({ baseUrl: await refusedUrl() });
    const error = await failureOf(createClient(Health, manager).check({}, { timeoutMs: 5_000 }));
    expect(error.reason).toBe("ALL_TRANSPORTS_FAILED");
    expect(error.code).toBe(Code.Unavailable);
    expect(error.attempts.map((a) => [a.transport, a.classification])).toEqual(
      ["http_protobuf", "http2_streaming", "http_json"].map((name) => [
        name,
        { kind: "transport", reason: "connection_refused", delivery: "not_sent", evidence: "ECONNREFUSED" },
      ]),
    );
  });
});

describe("a server that drops every connection", () => {
  const use = useResources();

  it("falls back through every transport for an idempotent call and lists each cause", async () => {
    const server = await use.server(startDroppingServer());
    const { manager } = use.manager({ baseUrl: server.url });
    const error = await failureOf(
      createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 5_000 }),
    );
    expect(error.reason).toBe("ALL_TRANSPORTS_FAILED");
    expect(transportsOf(error)).toEqual(["http_protobuf", "http2_streaming", "http_json"]);
    for (const attempt of error.attempts) {
      expect(attempt.classification).toMatchObject({ kind: "transport", reason: "connection_reset" });
      expect(attempt.cause).toBeInstanceOf(ConnectError);
    }
    expect(error.rawMessage).toMatch(
      /^all transports failed for grpc\.health\.v1\.Health\/Check; attempts: http_protobuf: /,
    );
  });

  it("stops after the first attempt for a non-idempotent call", async () => {
    const server = await use.server(startDroppingServer());
    const { manager } = use.manager({ baseUrl: server.url });
    const error = await failureOf(createClient(Health, manager).check({}, { timeoutMs: 5_000 }));
    expect(error.reason).toBe("RETRY_UNSAFE");
    expect(transportsOf(error)).toEqual(["http_protobuf"]);
    expect(server.requests()).toBe(1);
  });
});

describe("a server that accepts connections and never answers", () => {
  const use = useResources();

  it("ends the call at its one deadline and lists the attempt it was spent on", async () => {
    const server = await use.server(startHangingServer());
    const { manager } = use.manager({ baseUrl: server.url });
    const startedAt = Date.now();
    const error = await failureOf(createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 300 }));
    const elapsedMs = Date.now() - startedAt;
    expect(error.reason).toBe("DEADLINE_EXCEEDED");
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(transportsOf(error)).toEqual(["http_protobuf"]);
    expect(error.attempts[0]?.classification).toMatchObject({ reason: "timeout" });
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it("with an attempt cap, spends a share of the deadline on each transport", async () => {
    const server = await use.server(startHangingServer());
    const { manager } = use.manager({ baseUrl: server.url, attemptTimeoutMs: 100 });
    const error = await failureOf(
      createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 5_000 }),
    );
    expect(error.reason).toBe("ALL_TRANSPORTS_FAILED");
    expect(transportsOf(error)).toEqual(["http_protobuf", "http2_streaming", "http_json"]);
    expect(error.attempts.map((a) => a.classification)).toEqual(
      Array(3).fill({
        kind: "transport",
        reason: "timeout",
        delivery: "maybe_sent",
        evidence: "deadline_exceeded",
      }),
    );
  });
});

describe("a server that answers with an application error", () => {
  const use = useResources();

  it("surfaces invalid_argument unchanged, without trying another transport", async () => {
    const server = await use.server(startApplicationErrorServer());
    const { manager, events } = use.manager({ baseUrl: server.url });
    const error = await createClient(Health, manager)
      .check({}, { ...idempotent, timeoutMs: 5_000 })
      .catch((reason: unknown) => reason);
    expect(error).not.toBeInstanceOf(AllTransportsFailedError);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ code: Code.InvalidArgument, rawMessage: "service name is empty" });
    expect(server.requests()).toBe(1);
    expect(events.filter((event) => event.type === "attempt")).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "failure", classification: { kind: "application" }, fallback: false }),
    );
  });
});

describe("a server that fails after reading the request", () => {
  const use = useResources();

  it("does not retry a non-idempotent call: the server may have applied it", async () => {
    const server = await use.server(startFailAfterReadServer());
    const { manager } = use.manager({ baseUrl: server.url });
    const error = await failureOf(
      createClient(Health, manager).check({ service: "hub" }, { timeoutMs: 5_000 }),
    );
    expect(error.reason).toBe("RETRY_UNSAFE");
    expect(error.code).toBe(Code.Unknown);
    expect(transportsOf(error)).toEqual(["http_protobuf"]);
    expect(error.attempts[0]?.classification).toMatchObject({ kind: "transport", delivery: "maybe_sent" });
    expect(server.requests()).toBe(1);
  });

  it("does retry the same call when it is marked idempotent", async () => {
    const server = await use.server(startFailAfterReadServer());
    const { manager } = use.manager({ baseUrl: server.url });
    const error = await failureOf(
      createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 5_000 }),
    );
    expect(error.reason).toBe("ALL_TRANSPORTS_FAILED");
    expect(transportsOf(error)).toEqual(["http_protobuf", "http2_streaming", "http_json"]);
    // The gRPC attempt never became an HTTP/1.1 request, so only the two Connect ones were read.
    expect(server.requests()).toBe(2);
  });
});
