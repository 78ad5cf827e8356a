import { Code, ConnectError, createClient, createContextValues } from "@connectrpc/connect";
import { Health } from "@hub/proto";
import { describe, expect, it } from "vitest";
import { createFakeClock } from "../test/support/fake-clock.js";
import { failingTransport, healthyTransport, recordingTransport } from "../test/support/fake-transports.js";
import { fromServer, refused, reset, timedOut } from "../test/support/transport-errors.js";
import { AllTransportsFailedError } from "./all-transports-failed-error.js";
import type { TransportFallbackEvent } from "./events.js";
import { idempotentCall } from "./retry-safety.js";
import { createTransportFallbackManager } from "./transport-fallback-manager.js";

const idempotent = { contextValues: createContextValues().set(idempotentCall, true) };

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

describe("fallback", () => {
  it("answers from the first transport when it works, without trying the others", async () => {
    const first = healthyTransport();
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first, second } });
    const response = await createClient(Health, manager).check({});
    expect(response.status).toBe(1);
    expect(second.calls).toHaveLength(0);
  });

  it("falls back after connection refused, even for a non-idempotent call", async () => {
    const first = failingTransport(refused);
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first, second } });
    await createClient(Health, manager).check({});
    expect([first.calls.length, second.calls.length]).toEqual([1, 1]);
  });

  it("does not resend a non-idempotent call after a failure that may have delivered it", async () => {
    const first = failingTransport(reset);
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first, second } });
    const error = await failureOf(createClient(Health, manager).check({}));
    expect(error).toBeInstanceOf(AllTransportsFailedError);
    expect(error).toMatchObject({ reason: "RETRY_UNSAFE", code: Code.Unknown, skipped: [] });
    expect((error as AllTransportsFailedError).attempts.map((a) => a.transport)).toEqual(["first"]);
    expect(second.calls).toHaveLength(0);
  });

  it("resends after such a failure when the call is marked idempotent", async () => {
    const first = failingTransport(reset);
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first, second } });
    await createClient(Health, manager).check({}, idempotent);
    expect(second.calls).toHaveLength(1);
  });

  it.each([
    ["invalid_argument", Code.InvalidArgument],
    ["not_found", Code.NotFound],
    ["permission_denied", Code.PermissionDenied],
    ["already_exists", Code.AlreadyExists],
    ["failed_precondition", Code.FailedPrecondition],
    ["unimplemented", Code.Unimplemented],
  ])("surfaces a server's %s unchanged, without fallback", async (_name, code) => {
    const sent = fromServer(code);
    const first = failingTransport(sent);
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first, second } });
    const error = await failureOf(createClient(Health, manager).check({}, idempotent));
    expect(error).toBe(sent);
    expect(second.calls).toHaveLength(0);
  });

  it("surfaces an unrecognized error unchanged, without fallback", async () => {
    const odd = new ConnectError("premature end of stream", Code.Internal);
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first: failingTransport(odd), second } });
    expect(await failureOf(createClient(Health, manager).check({}, idempotent))).toBe(odd);
    expect(second.calls).toHaveLength(0);
  });

  it("stops when the caller cancels, and surfaces the cancellation unchanged", async () => {
    const controller = new AbortController();
    const canceled = new ConnectError("This operation was aborted", Code.Canceled);
    const first = recordingTransport(() => {
      controller.abort();
      throw canceled;
    });
    const second = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { first, second } });
    const error = await failureOf(
      createClient(Health, manager).check({}, { ...idempotent, signal: controller.signal }),
    );
    expect(error).toBe(canceled);
    expect(second.calls).toHaveLength(0);
  });

  it("lists every attempt when all transports fail", async () => {
    const manager = createTransportFallbackManager({
      transports: { a: failingTransport(refused), b: failingTransport(reset), c: failingTransport(refused) },
    });
    const error = await failureOf(createClient(Health, manager).check({}, idempotent));
    expect(error).toBeInstanceOf(AllTransportsFailedError);
    expect(error).toBeInstanceOf(ConnectError);
    const failed = error as AllTransportsFailedError;
    expect(failed.reason).toBe("ALL_TRANSPORTS_FAILED");
    expect(failed.code).toBe(Code.Unavailable);
    expect(failed.attempts.map((a) => [a.transport, a.classification.kind])).toEqual([
      ["a", "transport"],
      ["b", "transport"],
      ["c", "transport"],
    ]);
    expect(failed.cause).toBe(failed.attempts[2]?.cause);
    expect(failed.rawMessage).toBe(
      "all transports failed for grpc.health.v1.Health/Check; attempts: " +
        "a: [unavailable] connect ECONNREFUSED 127.0.0.1:1; " +
        "b: [aborted] read ECONNRESET 127.0.0.1:1; " +
        "c: [unavailable] connect ECONNREFUSED 127.0.0.1:1",
    );
  });

  it("reports attempt, failure, fallback and success events in order", async () => {
    const events: TransportFallbackEvent[] = [];
    const clock = createFakeClock();
    const manager = createTransportFallbackManager({
      transports: { a: failingTransport(refused), b: healthyTransport() },
      clock,
      onEvent: (event) => events.push(event),
    });
    await createClient(Health, manager).check({}, { timeoutMs: 500 });
    const method = "grpc.health.v1.Health/Check";
    expect(events).toEqual([
      { type: "attempt", method, transport: "a", attempt: 1, timeoutMs: 500 },
      {
        type: "failure",
        method,
        transport: "a",
        attempt: 1,
        durationMs: 0,
        error: expect.any(ConnectError),
        classification: {
          kind: "transport",
          reason: "connection_refused",
          delivery: "not_sent",
          evidence: "ECONNREFUSED",
        },
        fallback: true,
      },
      { type: "fallback", method, from: "a", to: "b", reason: "connection_refused" },
      { type: "attempt", method, transport: "b", attempt: 2, timeoutMs: 500 },
      { type: "success", method, transport: "b", attempt: 2, durationMs: 0 },
    ]);
  });

  it("keeps calling when an event listener throws", async () => {
    const manager = createTransportFallbackManager({
      transports: { a: failingTransport(refused), b: healthyTransport() },
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    await expect(createClient(Health, manager).check({})).resolves.toMatchObject({ status: 1 });
  });
});

describe("shared deadline", () => {
  function slowFailure(clock: ReturnType<typeof createFakeClock>, ms: number, error: () => ConnectError) {
    return recordingTransport(() => {
      clock.advance(ms);
      throw error();
    });
  }

  it("gives each attempt only the time the call has left", async () => {
    const clock = createFakeClock();
    const a = slowFailure(clock, 300, refused);
    const b = slowFailure(clock, 250, refused);
    const c = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b, c }, clock });
    await createClient(Health, manager).check({}, { timeoutMs: 1_000 });
    expect([a.calls[0]?.timeoutMs, b.calls[0]?.timeoutMs, c.calls[0]?.timeoutMs]).toEqual([1_000, 700, 450]);
  });

  it("passes the caller's signal to every attempt", async () => {
    const clock = createFakeClock();
    const a = failingTransport(refused);
    const b = healthyTransport();
    const controller = new AbortController();
    const manager = createTransportFallbackManager({ transports: { a, b }, clock });
    await createClient(Health, manager).check({}, { signal: controller.signal });
    expect(a.calls[0]?.signal).toBe(controller.signal);
    expect(b.calls[0]?.signal).toBe(controller.signal);
  });

  it("ends with DEADLINE_EXCEEDED, listing the attempts, once no time is left", async () => {
    const clock = createFakeClock();
    const a = slowFailure(clock, 600, refused);
    const b = slowFailure(clock, 400, refused);
    const c = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b, c }, clock });
    const error = await failureOf(createClient(Health, manager).check({}, { timeoutMs: 1_000 }));
    expect(error).toMatchObject({ reason: "DEADLINE_EXCEEDED", code: Code.DeadlineExceeded });
    expect((error as AllTransportsFailedError).attempts.map((a) => a.transport)).toEqual(["a", "b"]);
    expect(c.calls).toHaveLength(0);
  });

  it("treats an attempt that timed out with all the remaining time as the call's deadline", async () => {
    const clock = createFakeClock();
    const a = slowFailure(clock, 999.5, timedOut);
    const b = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b }, clock });
    const error = await failureOf(
      createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 1_000 }),
    );
    expect(error).toMatchObject({ reason: "DEADLINE_EXCEEDED" });
    expect(b.calls).toHaveLength(0);
  });

  it("moves on after an attempt cap fires while the call still has time", async () => {
    const clock = createFakeClock();
    const a = slowFailure(clock, 200, timedOut);
    const b = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b }, clock, attemptTimeoutMs: 200 });
    await createClient(Health, manager).check({}, { ...idempotent, timeoutMs: 1_000 });
    expect([a.calls[0]?.timeoutMs, b.calls[0]?.timeoutMs]).toEqual([200, 200]);
  });

  it("uses defaultTimeoutMs for a call without a deadline of its own", async () => {
    const a = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a }, defaultTimeoutMs: 2_500 });
    await createClient(Health, manager).check({});
    expect(a.calls[0]?.timeoutMs).toBe(2_500);
  });

  it("passes no timeout when neither the call nor the manager sets one", async () => {
    const a = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a } });
    await createClient(Health, manager).check({});
    expect(a.calls[0]?.timeoutMs).toBeUndefined();
  });
});
