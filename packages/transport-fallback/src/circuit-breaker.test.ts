import { describe, expect, it } from "vitest";
import { createFakeClock } from "../test/support/fake-clock.js";
import { type BreakerState, createCircuitBreaker } from "./circuit-breaker.js";
import type { ResolvedCircuitBreakerOptions } from "./options.js";

const options: ResolvedCircuitBreakerOptions = {
  windowMs: 10_000,
  minimumCalls: 4,
  failureRateThreshold: 0.5,
  cooldownMs: 5_000,
  halfOpenMaxCalls: 1,
};

function setup(overrides: Partial<ResolvedCircuitBreakerOptions> = {}) {
  const clock = createFakeClock(0);
  const changes: [BreakerState, BreakerState][] = [];
  const breaker = createCircuitBreaker({ ...options, ...overrides }, clock, (from, to) =>
    changes.push([from, to]),
  );
  const call = (outcome: "success" | "failure" | "release") => {
    const permit = breaker.tryAcquire();
    if (permit === undefined) return "refused";
    permit[outcome]();
    return "done";
  };
  return { clock, breaker, changes, call };
}

describe("createCircuitBreaker", () => {
  it("starts closed and lets calls through", () => {
    const { breaker, call } = setup();
    expect(breaker.state()).toBe("closed");
    expect(call("success")).toBe("done");
  });

  it("stays closed below the minimum number of calls, even if all fail", () => {
    const { breaker, call } = setup();
    for (let i = 0; i < 3; i += 1) call("failure");
    expect(breaker.state()).toBe("closed");
  });

  it("opens when the failure rate reaches the threshold with enough calls", () => {
    const { breaker, call, changes } = setup();
    call("success");
    call("success");
    call("failure");
    expect(breaker.state()).toBe("closed");
    call("failure"); // 2 of 4 = 0.5
    expect(breaker.state()).toBe("open");
    expect(changes).toEqual([["closed", "open"]]);
  });

  it("stays closed while the failure rate is below the threshold", () => {
    const { breaker, call } = setup();
    for (let i = 0; i < 3; i += 1) call("success");
    for (let i = 0; i < 2; i += 1) call("failure"); // 2 of 5 = 0.4
    expect(breaker.state()).toBe("closed");
  });

  it("forgets failures that slid out of the window", () => {
    const { clock, breaker, call } = setup();
    for (let i = 0; i < 3; i += 1) call("failure");
    clock.advance(10_000);
    call("failure");
    expect(breaker.state()).toBe("closed");
  });

  it("does not count released calls", () => {
    const { breaker, call } = setup();
    for (let i = 0; i < 10; i += 1) call("release");
    for (let i = 0; i < 3; i += 1) call("failure");
    expect(breaker.state()).toBe("closed");
  });

  it("refuses calls while open and turns half-open exactly when the cool-down ends", () => {
    const { clock, breaker, call, changes } = setup();
    for (let i = 0; i < 4; i += 1) call("failure");
    clock.advance(4_999);
    expect(call("success")).toBe("refused");
    expect(breaker.state()).toBe("open");
    clock.advance(1);
    expect(breaker.state()).toBe("half_open");
    expect(changes).toEqual([
      ["closed", "open"],
      ["open", "half_open"],
    ]);
  });

  it("lets only halfOpenMaxCalls probes through at once", () => {
    const { clock, breaker } = setup({ halfOpenMaxCalls: 2 });
    for (let i = 0; i < 4; i += 1) breaker.tryAcquire()?.failure();
    clock.advance(5_000);
    const first = breaker.tryAcquire();
    const second = breaker.tryAcquire();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
    second?.release();
    expect(breaker.tryAcquire()).toBeDefined();
  });

  it("closes on a probe's success, with an empty window", () => {
    const { clock, breaker, call, changes } = setup();
    for (let i = 0; i < 4; i += 1) call("failure");
    clock.advance(5_000);
    call("success");
    expect(breaker.state()).toBe("closed");
    expect(changes.at(-1)).toEqual(["half_open", "closed"]);
    for (let i = 0; i < 3; i += 1) call("failure");
    expect(breaker.state()).toBe("closed");
  });

  it("re-opens on a probe's failure, for a whole new cool-down", () => {
    const { clock, breaker, call, changes } = setup();
    for (let i = 0; i < 4; i += 1) call("failure");
    clock.advance(6_000);
    call("failure");
    expect(breaker.state()).toBe("open");
    expect(changes.at(-1)).toEqual(["half_open", "open"]);
    clock.advance(4_999);
    expect(breaker.state()).toBe("open");
    clock.advance(1);
    expect(breaker.state()).toBe("half_open");
  });

  it("ignores the late outcome of a call let through before the state changed", () => {
    const { clock, breaker, call } = setup();
    const slow = breaker.tryAcquire();
    for (let i = 0; i < 4; i += 1) call("failure");
    clock.advance(5_000);
    const probe = breaker.tryAcquire();
    slow?.success();
    expect(breaker.state()).toBe("half_open");
    probe?.failure();
    expect(breaker.state()).toBe("open");
  });

  it("counts one outcome per permit", () => {
    const { breaker } = setup();
    const permit = breaker.tryAcquire();
    for (let i = 0; i < 5; i += 1) permit?.failure();
    expect(breaker.state()).toBe("closed");
  });
});
