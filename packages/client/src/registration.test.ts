import { Code, ConnectError } from "@connectrpc/connect";
import type { HeartbeatRequest, RegisterRequest } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { settle } from "@hub/test-support";
import { type FakeSetup, fakeSetup } from "../test/support/fake-setup.js";
import { HubClientError } from "./hub-client-error.js";
import type { NodeHubClientOptions, RegisterOptions } from "./options.js";

const instance = { name: "data-bridge", host: "10.0.0.5", port: 8001, ttlMs: 9_000 };

describe("register", () => {
  let setup: FakeSetup;
  afterEach(async () => {
    await setup.client.close();
  });

  function start(options: NodeHubClientOptions = {}) {
    setup = fakeSetup(options);
    return setup;
  }
  const heartbeats = () => setup.hub.callsOf("Heartbeat").map((call) => call.input as HeartbeatRequest);
  const registers = () => setup.hub.callsOf("Register").map((call) => call.input as RegisterRequest);
  const register = (options?: RegisterOptions) => setup.client.register(instance, options);

  it("registers, then heartbeats every TTL/3 until closed", async () => {
    const { clock, eventsOf } = start();
    const registration = await register();
    expect(registration.instanceId).toBe("10.0.0.5-8001");
    expect(registration.leaseTtlMs).toBe(9_000);
    expect(registration.heartbeatIntervalMs).toBe(3_000);
    expect(eventsOf("registered")).toEqual([
      expect.objectContaining({
        name: "data-bridge",
        instanceId: "10.0.0.5-8001",
        hubUrl: "http://hub-a:7000",
      }),
    ]);
    await clock.advance(2_999);
    expect(heartbeats()).toHaveLength(0);
    await clock.advance(1);
    expect(heartbeats()).toEqual([
      expect.objectContaining({ name: "data-bridge", instanceId: "10.0.0.5-8001" }),
    ]);
    await clock.advance(3_000);
    expect(heartbeats()).toHaveLength(2);
    expect(registration.state()).toMatchObject({
      status: "active",
      consecutiveFailures: 0,
      lastHeartbeatAt: clock.now(),
    });
  });

  it("takes the heartbeat interval from the options when given", async () => {
    const { clock } = start();
    await register({ heartbeatIntervalMs: 1_000 });
    await clock.advance(3_000);
    expect(heartbeats()).toHaveLength(3);
  });

  it("jitters each heartbeat early, by up to heartbeatJitter of the interval", async () => {
    const { clock } = start({ random: () => 0.5, heartbeatJitter: 0.2 });
    await register();
    // 3000 ms less 0.5 * 0.2 of it.
    expect(clock.pending()).toEqual([2_700]);
  });

  it("reports the load callback's value with each heartbeat, keeping the last good one when it fails", async () => {
    const { clock } = start();
    const loads: Array<number | Error> = [0.25, new Error("probe failed"), Number.NaN, 0.5];
    await register({
      load: () => {
        const next = loads.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    });
    await clock.advance(12_000);
    expect(heartbeats().map((h) => h.load)).toEqual([0.25, 0.25, 0.25, 0.5]);
    expect(setup.registry.instances.get("data-bridge/10.0.0.5-8001")?.load).toBe(0.5);
  });

  it("backs off exponentially while no hub answers, never waiting longer than the heartbeat interval", async () => {
    const { clock, hub } = start();
    const registration = await register();
    const failed: number[] = [];
    registration.on("heartbeat_failed", (event) => failed.push(event.retryInMs));
    hub.setDown(true);
    await clock.advance(3_000 + 500 + 1_000 + 2_000);
    // 500, 1000, 2000, then 4000 capped at the 3000 ms interval.
    expect(failed).toEqual([500, 1_000, 2_000, 3_000]);
    expect(registration.state()).toMatchObject({ status: "retrying", consecutiveFailures: 4 });
    hub.setDown(false);
    await clock.advance(3_000);
    expect(registration.state()).toMatchObject({ status: "active", consecutiveFailures: 0 });
    const before = heartbeats().length;
    await clock.advance(3_000);
    expect(heartbeats()).toHaveLength(before + 1);
  });

  it("registers again at once, with the same id, when the hub has forgotten the instance", async () => {
    const { clock, registry, eventsOf } = start();
    const registration = await register();
    const reRegistered: string[] = [];
    registration.on("re_registered", (event) => reRegistered.push(event.instanceId));
    registry.wipe(); // the hub restarted on a fresh store
    await clock.advance(3_000);
    expect(reRegistered).toEqual(["10.0.0.5-8001"]);
    expect(registers().map((r) => r.instance?.id)).toEqual(["", "10.0.0.5-8001"]);
    expect(registry.instances.has("data-bridge/10.0.0.5-8001")).toBe(true);
    expect(eventsOf("heartbeat_failed")).toEqual([]);
    await clock.advance(3_000);
    expect(heartbeats()).toHaveLength(2);
  });

  it("keeps retrying the re-registration with backoff while it fails", async () => {
    const { clock, registry } = start();
    const registration = await register();
    const failures: Array<number | null> = [];
    registration.on("register_failed", (event) => failures.push(event.retryInMs));
    registry.wipe();
    registry.rejectRegister = new ConnectError("store unavailable", Code.Unavailable);
    await clock.advance(3_000 + 500);
    expect(failures).toEqual([500, 1_000]);
    registry.rejectRegister = undefined;
    await clock.advance(1_000);
    expect(registry.instances.has("data-bridge/10.0.0.5-8001")).toBe(true);
    expect(registration.state().status).toBe("active");
  });

  it("deregisters on close and stops heartbeating", async () => {
    const { clock, registry, hub, eventsOf } = start();
    const registration = await register();
    await registration.close();
    expect(hub.callsOf("Deregister")).toHaveLength(1);
    expect(registry.instances.size).toBe(0);
    expect(eventsOf("deregistered")).toHaveLength(1);
    expect(registration.state().status).toBe("closed");
    await clock.advance(60_000);
    expect(heartbeats()).toHaveLength(0);
    expect(clock.pending()).toEqual([]);
    await expect(registration.close()).resolves.toBeUndefined();
    expect(hub.callsOf("Deregister")).toHaveLength(1);
  });

  it("resolves close() when no hub answers, reporting deregister_failed", async () => {
    const { hub, eventsOf } = start();
    const registration = await register();
    hub.setDown(true);
    await expect(registration.close()).resolves.toBeUndefined();
    expect(eventsOf("deregister_failed")).toEqual([
      expect.objectContaining({ instanceId: "10.0.0.5-8001", error: expect.any(ConnectError) }),
    ]);
  });

  it("counts an instance the hub no longer knows as deregistered", async () => {
    const { registry, eventsOf } = start();
    const registration = await register();
    registry.wipe();
    await registration.close();
    expect(eventsOf("deregistered")).toHaveLength(1);
  });

  it("retries the first registration with backoff until a hub answers", async () => {
    const { clock, hub, eventsOf } = start();
    hub.setDown(true);
    const pending = register();
    await settle();
    expect(eventsOf("register_failed").map((e) => e.retryInMs)).toEqual([500]);
    await clock.advance(500);
    hub.setDown(false);
    await clock.advance(1_000);
    await expect(pending).resolves.toMatchObject({ instanceId: "10.0.0.5-8001" });
    expect(registers()).toHaveLength(3);
  });

  it("gives up on the first registration after registerTimeoutMs with UNAVAILABLE", async () => {
    const { clock, hub, eventsOf } = start();
    hub.setDown(true);
    const pending = register({ registerTimeoutMs: 2_000 });
    const outcome = expect(pending).rejects.toMatchObject({ reason: "UNAVAILABLE", code: Code.Unavailable });
    await clock.advance(2_000);
    await outcome;
    // 500 + 1000 fit in 2000 ms; the third failure would wait 2000 more.
    expect(eventsOf("register_failed").map((e) => e.retryInMs)).toEqual([500, 1_000, null]);
  });

  it("passes the hub's own rejection through unchanged, without retrying", async () => {
    const { registry, eventsOf } = start();
    registry.rejectRegister = new ConnectError("name: must be a DNS label", Code.InvalidArgument);
    const error = await register().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).not.toBeInstanceOf(HubClientError);
    expect(error).toMatchObject({ code: Code.InvalidArgument, rawMessage: "name: must be a DNS label" });
    expect(eventsOf("register_failed").map((e) => e.retryInMs)).toEqual([null]);
  });

  it("stops retrying the first registration when its signal fires", async () => {
    const { hub } = start();
    hub.setDown(true);
    const abort = new AbortController();
    const pending = register({ signal: abort.signal });
    await settle();
    abort.abort();
    await expect(pending).rejects.toMatchObject({ reason: "ABORTED" });
  });

  it("rejects an invalid registration before calling the hub", async () => {
    start();
    await expect(setup.client.register({ ...instance, port: 0 })).rejects.toMatchObject({
      reason: "INVALID_OPTIONS",
      rawMessage: expect.stringContaining("registration.port"),
    });
    expect(setup.hub.calls).toHaveLength(0);
  });

  it("sends the client's tenant headers, with the registration's own over them", async () => {
    const { clock } = start({
      tenant: { companyId: "acme", subscriptionTier: "pro", correlationId: "client" },
    });
    await register({ tenant: { correlationId: "boot-42" } });
    await clock.advance(3_000);
    for (const call of setup.hub.calls) {
      expect(call.headers).toMatchObject({
        "x-company-id": "acme",
        "x-subscription-tier": "pro",
        "x-correlation-id": "boot-42",
      });
    }
    expect(setup.hub.calls.map((call) => call.method)).toEqual(["Register", "Heartbeat"]);
  });

  it("takes back an instance the hub accepted while the client was closing", async () => {
    const { client, hub, registry } = start();
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const unary = hub.transport.unary;
    // Holds Register's answer and ignores the abort, as a response already on the wire would.
    hub.transport.unary = async (method, _signal, timeoutMs, header, input, contextValues) => {
      if (method.name === "Register") await gate;
      return unary(method, undefined, timeoutMs, header, input, contextValues);
    };
    const pending = register().catch((caught: unknown) => caught);
    await settle();
    const closed = client.close();
    open();
    expect(await pending).toMatchObject({ reason: "CLOSED" });
    await closed;
    expect(hub.callsOf("Deregister")).toHaveLength(1);
    expect(registry.instances.size).toBe(0);
  });

  it("deregisters every registration when the client closes", async () => {
    const { client, hub, registry } = start();
    await register();
    await client.register({ ...instance, port: 8002 });
    await client.close();
    expect(hub.callsOf("Deregister")).toHaveLength(2);
    expect(registry.instances.size).toBe(0);
    await expect(register()).rejects.toMatchObject({ reason: "CLOSED" });
  });
});
