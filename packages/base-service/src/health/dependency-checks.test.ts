import { describe, expect, it } from "vitest";
import { FakeClock } from "@hub/test-support";
import { isBaseServiceError } from "../base-service-error.js";
import { DependencyChecks } from "./dependency-checks.js";

function checks(defaultTimeoutMs = 1_000) {
  const clock = new FakeClock();
  return { clock, checks: new DependencyChecks(clock, defaultTimeoutMs) };
}

describe("DependencyChecks", () => {
  it("reads what each check resolves with", async () => {
    const { checks: deps } = checks();
    deps.add("void", async () => {});
    deps.add("true", () => true);
    deps.add("false", () => false);
    deps.add("degraded", async () => "degraded" as const);
    const results = await deps.run();
    expect(results.map(({ name, status, message }) => ({ name, status, message }))).toEqual([
      { name: "void", status: "healthy", message: "" },
      { name: "true", status: "healthy", message: "" },
      { name: "false", status: "unhealthy", message: "check reported unhealthy" },
      { name: "degraded", status: "degraded", message: "check reported degraded" },
    ]);
  });

  it("counts a throw or a rejection as unhealthy, with the error's message", async () => {
    const { checks: deps } = checks();
    deps.add("throws", () => {
      throw new Error("connection refused");
    });
    deps.add("rejects", () => Promise.reject(new Error("auth failed")));
    const results = await deps.run();
    expect(results.map((r) => [r.status, r.message])).toEqual([
      ["unhealthy", "connection refused"],
      ["unhealthy", "auth failed"],
    ]);
  });

  it("times a hanging check out on the clock and aborts its signal", async () => {
    const { clock, checks: deps } = checks(1_000);
    let seen: AbortSignal | undefined;
    deps.add("hangs", (signal) => {
      seen = signal;
      return new Promise(() => {});
    });
    deps.add(
      "slow-but-allowed",
      () => new Promise((resolve) => clock.setTimeout(() => resolve(true), 1_500)),
      {
        timeoutMs: 2_000,
      },
    );
    let results: Awaited<ReturnType<DependencyChecks["run"]>> | undefined;
    const run = deps.run().then((value) => {
      results = value;
    });
    await clock.advance(999);
    expect(results).toBeUndefined();
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    expect(seen?.aborted).toBe(true);
    expect((seen!.reason as Error).name).toBe("TimeoutError");
    await clock.advance(500);
    await run;
    expect(results?.map((r) => [r.name, r.status, r.message, r.latencyMs])).toEqual([
      ["hangs", "unhealthy", "timed out after 1000 ms", 1_000],
      ["slow-but-allowed", "healthy", "", 1_500],
    ]);
  });

  it("lets concurrent runs share one round of checks", async () => {
    const { checks: deps } = checks();
    let calls = 0;
    deps.add("db", async () => {
      calls += 1;
    });
    await Promise.all([deps.run(), deps.run(), deps.run()]);
    expect(calls).toBe(1);
    await deps.run();
    expect(calls).toBe(2);
  });

  it("keeps the critical flag and removes checks", async () => {
    const { checks: deps } = checks();
    deps.add("db", () => true, { critical: true });
    expect((await deps.run())[0]?.critical).toBe(true);
    expect(deps.remove("db")).toBe(true);
    expect(deps.remove("db")).toBe(false);
    expect(await deps.run()).toEqual([]);
  });

  it.each([
    ["", {}, "1-128 characters"],
    ["db", { timeoutMs: 0 }, "timeoutMs must be 1-600000"],
  ])("refuses name %j with %j", (name, options, message) => {
    const { checks: deps } = checks();
    try {
      deps.add(name, () => true, options);
      expect.unreachable();
    } catch (error) {
      expect(isBaseServiceError(error, "INVALID_CONFIG")).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });

  it("refuses a name twice", () => {
    const { checks: deps } = checks();
    deps.add("db", () => true);
    expect(() => deps.add("db", () => true)).toThrow("already registered");
  });
});
