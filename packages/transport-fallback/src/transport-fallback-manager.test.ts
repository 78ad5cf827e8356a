import type { DescMethodStreaming } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createContextValues, type Transport } from "@connectrpc/connect";
import { Health, type HealthCheckRequest, type HealthCheckResponse } from "@hub/proto";
import { describe, expect, it } from "vitest";
import { createFakeClock } from "../test/support/fake-clock.js";
import { failingTransport, healthyTransport, recordingTransport } from "../test/support/fake-transports.js";
import { refused, reset } from "../test/support/transport-errors.js";
import { AllTransportsFailedError } from "./all-transports-failed-error.js";
import type { TransportFallbackEvent } from "./events.js";
import { idempotentCall } from "./retry-safety.js";
import { TransportFallbackError } from "./transport-fallback-error.js";
import { createTransportFallbackManager } from "./transport-fallback-manager.js";

const idempotent = { contextValues: createContextValues().set(idempotentCall, true) };

/** A transport that fails while `down()` says so, and answers otherwise. */
function flakyTransport(down: () => boolean) {
  const healthy = healthyTransport();
  return recordingTransport(() => {
    if (down()) throw refused();
    return healthy;
  });
}

describe("sticky preference", () => {
  it("starts the next call at the transport that last worked", async () => {
    const a = failingTransport(refused);
    const b = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b } });
    const client = createClient(Health, manager);
    await client.check({});
    expect(manager.preferredTransport()).toBe("b");
    await client.check({});
    expect([a.calls.length, b.calls.length]).toEqual([1, 2]);
  });

  it("falls back from the preferred transport along the configured order", async () => {
    let bDown = false;
    const a = healthyTransport();
    const b = flakyTransport(() => bDown);
    const manager = createTransportFallbackManager({ transports: { a, b }, order: ["b", "a"] });
    await createClient(Health, manager).check({});
    bDown = true;
    await createClient(Health, manager).check({});
    expect(manager.preferredTransport()).toBe("a");
  });

  it("always starts at the first transport when sticky is off", async () => {
    const a = failingTransport(refused);
    const b = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b }, sticky: false });
    const client = createClient(Health, manager);
    await client.check({});
    await client.check({});
    expect(a.calls).toHaveLength(2);
    expect(manager.preferredTransport()).toBe("a");
  });

  it("counts a server's application error as the transport working", async () => {
    const a = failingTransport(refused);
    const sent = new ConnectError("bad", Code.InvalidArgument);
    sent.isWireError = true;
    const b = failingTransport(sent);
    const manager = createTransportFallbackManager({ transports: { a, b } });
    await expect(createClient(Health, manager).check({})).rejects.toBe(sent);
    expect(manager.preferredTransport()).toBe("b");
  });
});

describe("circuit breakers", () => {
  const breaker = { minimumCalls: 2, failureRateThreshold: 0.5, cooldownMs: 1_000, windowMs: 10_000 };

  it("skips a transport whose breaker is open, and probes it after the cool-down", async () => {
    const clock = createFakeClock();
    let aDown = true;
    const a = flakyTransport(() => aDown);
    const b = healthyTransport();
    const events: TransportFallbackEvent[] = [];
    const manager = createTransportFallbackManager({
      transports: { a, b },
      sticky: false,
      breaker,
      clock,
      onEvent: (event) => events.push(event),
    });
    const client = createClient(Health, manager);
    await client.check({});
    await client.check({});
    expect(manager.status()).toEqual([
      { name: "a", breaker: "open" },
      { name: "b", breaker: "closed" },
    ]);
    await client.check({});
    expect(a.calls).toHaveLength(2);

    aDown = false;
    clock.advance(1_000);
    await client.check({});
    expect(a.calls).toHaveLength(3);
    expect(manager.status()[0]).toEqual({ name: "a", breaker: "closed" });
    expect(events.filter((event) => event.type === "breaker_state_change")).toEqual([
      { type: "breaker_state_change", transport: "a", from: "closed", to: "open" },
      { type: "breaker_state_change", transport: "a", from: "open", to: "half_open" },
      { type: "breaker_state_change", transport: "a", from: "half_open", to: "closed" },
    ]);
  });

  it("fails with ALL_CIRCUITS_OPEN, naming the skipped transports, when no breaker lets a call through", async () => {
    const manager = createTransportFallbackManager({
      transports: { a: failingTransport(refused), b: failingTransport(refused) },
      breaker,
    });
    const client = createClient(Health, manager);
    await expect(client.check({})).rejects.toMatchObject({ reason: "ALL_TRANSPORTS_FAILED" });
    await expect(client.check({})).rejects.toMatchObject({ reason: "ALL_TRANSPORTS_FAILED" });
    const error = await client.check({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllTransportsFailedError);
    expect(error).toMatchObject({
      reason: "ALL_CIRCUITS_OPEN",
      code: Code.Unavailable,
      skipped: ["a", "b"],
      attempts: [],
    });
  });

  it("does not count a cancelled call against the transport", async () => {
    const controller = new AbortController();
    const a = recordingTransport(() => {
      controller.abort();
      throw new ConnectError("aborted", Code.Canceled);
    });
    const manager = createTransportFallbackManager({ transports: { a }, breaker });
    for (let i = 0; i < 3; i += 1) {
      await createClient(Health, manager)
        .check({}, { signal: controller.signal })
        .catch(() => undefined);
    }
    expect(manager.status()[0]?.breaker).toBe("closed");
  });
});

describe("streams", () => {
  it("falls back for a server stream and sends the same request again", async () => {
    const a = failingTransport(refused);
    const b = healthyTransport();
    const manager = createTransportFallbackManager({ transports: { a, b } });
    const statuses: number[] = [];
    for await (const update of createClient(Health, manager).watch({ service: "hub" }))
      statuses.push(update.status);
    expect(statuses).toEqual([1]);
    expect(b.calls).toHaveLength(1);
  });

  // No hub.v1 method streams its requests, so these use Watch re-labelled as a client stream.
  const clientStream = {
    ...Health.method.watch,
    methodKind: "client_streaming",
  } as unknown as DescMethodStreaming<typeof Health.method.watch.input, typeof Health.method.watch.output>;

  function readingTransport(readFirst: boolean, error: () => ConnectError): Transport & { reads: number } {
    const transport = {
      reads: 0,
      unary: () => Promise.reject(new Error("unused")),
      async stream(_m: unknown, _s: unknown, _t: unknown, _h: unknown, input: AsyncIterable<unknown>) {
        if (readFirst) {
          for await (const _ of input) {
            transport.reads += 1;
            break;
          }
        }
        throw error();
      },
    };
    return transport as Transport & { reads: number };
  }

  async function* requests(): AsyncGenerator<HealthCheckRequest> {
    yield { service: "a" } as HealthCheckRequest;
    yield { service: "b" } as HealthCheckRequest;
  }

  it("falls back for a client stream whose input no attempt has read", async () => {
    const b = readingTransport(true, refused);
    const manager = createTransportFallbackManager({
      transports: { a: readingTransport(false, refused), b },
    });
    await expect(
      manager.stream(clientStream, undefined, undefined, undefined, requests()),
    ).rejects.toMatchObject({
      reason: "ALL_TRANSPORTS_FAILED",
    });
    expect(b.reads).toBe(1);
  });

  it("does not fall back once a client stream's input has been read, even when idempotent", async () => {
    const b = readingTransport(true, refused);
    const manager = createTransportFallbackManager({
      transports: { a: readingTransport(true, refused), b },
    });
    const error = await manager
      .stream(clientStream, undefined, undefined, undefined, requests(), idempotent.contextValues)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "ALL_TRANSPORTS_FAILED" });
    expect((error as AllTransportsFailedError).attempts.map((a) => a.transport)).toEqual(["a"]);
    expect(b.reads).toBe(0);
  });

  it("keeps the response type of the transport that answered", async () => {
    const manager = createTransportFallbackManager({ transports: { b: healthyTransport() } });
    async function* request(): AsyncGenerator<HealthCheckRequest> {
      yield { service: "hub" } as HealthCheckRequest;
    }
    const response = await manager.stream(Health.method.watch, undefined, undefined, undefined, request());
    const messages: HealthCheckResponse[] = [];
    for await (const message of response.message) messages.push(message);
    expect(messages.map((m) => m.status)).toEqual([1]);
  });
});

describe("execute", () => {
  it("runs the function on one transport after another with the call's options", async () => {
    const clock = createFakeClock();
    const seen: [string, number, number | undefined][] = [];
    const manager = createTransportFallbackManager({
      transports: { a: failingTransport(refused), b: healthyTransport() },
      clock,
    });
    const status = await manager.execute(
      async ({ transport, name, attempt, callOptions }) => {
        seen.push([name, attempt, callOptions.timeoutMs]);
        clock.advance(100);
        const response = await createClient(Health, transport).check({}, callOptions);
        return response.status;
      },
      { timeoutMs: 1_000 },
    );
    expect(status).toBe(1);
    expect(seen).toEqual([
      ["a", 1, 1_000],
      ["b", 2, 900],
    ]);
  });

  it("treats the function as non-idempotent unless told otherwise", async () => {
    const manager = createTransportFallbackManager({
      transports: { a: failingTransport(reset), b: healthyTransport() },
    });
    const run = (idempotentRun: boolean) =>
      manager.execute(
        ({ transport, callOptions }) => createClient(Health, transport).check({}, callOptions),
        {
          idempotent: idempotentRun,
          label: "health-check",
        },
      );
    await expect(run(false)).rejects.toMatchObject({
      reason: "RETRY_UNSAFE",
      rawMessage: expect.stringContaining("health-check"),
    });
    await expect(run(true)).resolves.toMatchObject({ status: 1 });
  });

  it("rejects invalid options with INVALID_OPTIONS", async () => {
    const manager = createTransportFallbackManager({ transports: { a: healthyTransport() } });
    await expect(manager.execute(async () => 1, { timeoutMs: 0 })).rejects.toThrow(TransportFallbackError);
  });
});

describe("errors", () => {
  it("keeps instanceof exact across the ConnectError hierarchy", () => {
    const failed = new AllTransportsFailedError("ALL_TRANSPORTS_FAILED", "m", [], []);
    const plain = new ConnectError("x", Code.Unavailable);
    expect(failed).toBeInstanceOf(ConnectError);
    expect(failed).toBeInstanceOf(TransportFallbackError);
    expect(plain).not.toBeInstanceOf(AllTransportsFailedError);
    expect(plain).not.toBeInstanceOf(TransportFallbackError);
    expect(new TransportFallbackError("INVALID_OPTIONS", "x")).not.toBeInstanceOf(AllTransportsFailedError);
    expect(ConnectError.from(failed)).toBe(failed);
  });

  it("throws INVALID_OPTIONS with Code.InvalidArgument from the factory", () => {
    expect(() => createTransportFallbackManager({})).toThrow(
      expect.objectContaining({ reason: "INVALID_OPTIONS", code: Code.InvalidArgument }),
    );
  });
});
