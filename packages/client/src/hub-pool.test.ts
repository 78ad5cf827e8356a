import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { Health } from "@hub/proto";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@hub/test-support";
import { FakeHub } from "../test/support/fake-hub.js";
import { createEventBus, type HubClientEvent } from "./events.js";
import { createHubPool, isHubUnreachable } from "./hub-pool.js";

function pool(hubs: FakeHub[], clock = new FakeClock()) {
  const events: HubClientEvent[] = [];
  const created = createHubPool({
    hubUrls: hubs.map((hub) => hub.url),
    factory: (url) => ({ transport: hubs.find((hub) => hub.url === url)!.transport, close: () => {} }),
    clock,
    callTimeoutMs: 1_000,
    attemptTimeoutMs: 500,
    events: createEventBus((event) => events.push(event)),
  });
  const check = () =>
    created.call((hub, options) => createClient(Health, hub.transport).check({}, options), {
      label: "Check",
      signal: null,
      headers: { "x-correlation-id": "c-1" },
    });
  return { pool: created, events, check };
}

describe("HubPool", () => {
  it("fails over in order and then prefers the hub that answered", async () => {
    const [a, b, c] = ["a", "b", "c"].map((name) => new FakeHub(`http://hub-${name}:7000`));
    a!.setDown(true);
    b!.setDown(true);
    const { check, events } = pool([a!, b!, c!]);
    expect((await check()).endpoint.url).toBe(c!.url);
    expect(events.map((e) => e.type === "hub_failover" && `${e.from} -> ${e.to}`)).toEqual([
      "http://hub-a:7000 -> http://hub-b:7000",
      "http://hub-b:7000 -> http://hub-c:7000",
    ]);
    a!.setDown(false);
    expect((await check()).endpoint.url).toBe(c!.url);
    c!.setDown(true);
    // c first (it last worked), then the configured order: a.
    expect((await check()).endpoint.url).toBe(a!.url);
    expect(c!.callsOf("Check")).toHaveLength(3);
    expect(a!.calls.at(-1)!.headers).toMatchObject({ "x-correlation-id": "c-1" });
  });

  it("passes a hub's own answer through without trying the next hub", async () => {
    const a = new FakeHub("http://hub-a:7000");
    const b = new FakeHub("http://hub-b:7000");
    const { pool: created } = pool([a, b]);
    const failing = created.call(
      async () => {
        throw Object.assign(new ConnectError("bad name", Code.InvalidArgument), { isWireError: true });
      },
      { label: "Register", signal: null, headers: {} },
    );
    await expect(failing).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: "bad name" });
  });

  it("gives up with UNAVAILABLE naming every hub when none answers", async () => {
    const hubs = [new FakeHub("http://hub-a:7000"), new FakeHub("http://hub-b:7000")];
    for (const hub of hubs) hub.setDown(true);
    const { check } = pool(hubs);
    await expect(check()).rejects.toMatchObject({
      reason: "UNAVAILABLE",
      rawMessage:
        "no hub answered Check: http://hub-a:7000: [unavailable] connect ECONNREFUSED hub-a:7000; http://hub-b:7000: [unavailable] connect ECONNREFUSED hub-b:7000",
    });
  });

  it("stops trying hubs when the call's deadline has passed", async () => {
    const clock = new FakeClock();
    const hubs = [new FakeHub("http://hub-a:7000"), new FakeHub("http://hub-b:7000")];
    const { pool: created } = pool(hubs, clock);
    const tried: string[] = [];
    const failing = created.call(
      async (hub) => {
        tried.push(hub.url);
        await clock.advance(1_000);
        throw new ConnectError("timed out", Code.DeadlineExceeded);
      },
      { label: "Heartbeat", signal: null, headers: {} },
    );
    await expect(failing).rejects.toMatchObject({ reason: "UNAVAILABLE" });
    expect(tried).toEqual(["http://hub-a:7000"]);
  });

  it("gives each hub at most the attempt timeout of what is left", async () => {
    const clock = new FakeClock();
    const { pool: created } = pool([new FakeHub("http://hub-a:7000")], clock);
    const { value } = await created.call(async (_hub, options) => options.timeoutMs, {
      label: "x",
      signal: null,
      headers: {},
    });
    expect(value).toBe(500);
  });

  it("reports ABORTED when the caller's signal fired", async () => {
    const abort = new AbortController();
    const { pool: created } = pool([new FakeHub("http://hub-a:7000"), new FakeHub("http://hub-b:7000")]);
    const failing = created.call(
      async () => {
        abort.abort();
        throw new ConnectError("canceled", Code.Canceled);
      },
      { label: "Discover", signal: abort.signal, headers: {} },
    );
    await expect(failing).rejects.toMatchObject({ reason: "ABORTED", code: Code.Canceled });
  });
});

describe("isHubUnreachable", () => {
  const wire = (code: Code) => Object.assign(new ConnectError("x", code), { isWireError: true });
  it.each([
    [new ConnectError("connect ECONNREFUSED", Code.Unavailable), true],
    [new ConnectError("HTTP 502", Code.Unavailable), true],
    [new ConnectError("socket hang up", Code.Internal), true],
    [new ConnectError("HTTP 404", Code.Unimplemented), true],
    [wire(Code.Unavailable), true],
    [wire(Code.DeadlineExceeded), true],
    [wire(Code.NotFound), false],
    [wire(Code.InvalidArgument), false],
    [wire(Code.PermissionDenied), false],
    [wire(Code.Internal), false],
  ])("%s -> %s", (error, expected) => {
    expect(isHubUnreachable(error)).toBe(expected);
  });
});
