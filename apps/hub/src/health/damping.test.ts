import { describe, expect, it } from "vitest";
import { applyProbe, type DampingState, type HealthStatus, initialDampingState } from "./damping.js";
import type { ProbeStatus } from "./probe.js";

const thresholds = { rise: 2, fall: 3 };

/** Feeds probes in order and returns the status after each one and whether it changed. */
function run(probes: readonly ProbeStatus[], from: DampingState = initialDampingState, limits = thresholds) {
  let state = from;
  return probes.map((probe) => {
    const step = applyProbe(state, probe, limits);
    state = step.state;
    return `${step.state.status}${step.changed ? "*" : ""}`;
  });
}

const p = "passing" as const;
const w = "warning" as const;
const c = "critical" as const;

describe("applyProbe", () => {
  it.each<[string, ProbeStatus[], string[]]>([
    ["a first passing probe decides healthy at once", [p], ["healthy*"]],
    ["a first warning probe decides degraded at once", [w], ["degraded*"]],
    ["a first critical probe decides unhealthy at once", [c], ["unhealthy*"]],
    [
      "healthy needs fall (3) failures to go unhealthy",
      [p, c, c, c],
      ["healthy*", "healthy", "healthy", "unhealthy*"],
    ],
    [
      "a success in between restarts the fall count",
      [p, c, c, p, c, c],
      ["healthy*", "healthy", "healthy", "healthy", "healthy", "healthy"],
    ],
    ["unhealthy needs rise (2) successes to come back", [c, p, p], ["unhealthy*", "unhealthy", "healthy*"]],
    [
      "a failure in between restarts the rise count",
      [c, p, c, p, p],
      ["unhealthy*", "unhealthy", "unhealthy", "unhealthy", "healthy*"],
    ],
    [
      "warning counts towards rise and comes back degraded",
      [c, p, w],
      ["unhealthy*", "unhealthy", "degraded*"],
    ],
    ["the probe completing the rise picks healthy", [c, w, p], ["unhealthy*", "unhealthy", "healthy*"]],
    [
      "while up, warning and passing switch at once",
      [p, w, w, p],
      ["healthy*", "degraded*", "degraded", "healthy*"],
    ],
    [
      "degraded needs fall failures like healthy",
      [w, c, c, c],
      ["degraded*", "degraded", "degraded", "unhealthy*"],
    ],
    ["a failure short of fall keeps degraded", [w, c, w], ["degraded*", "degraded", "degraded"]],
    ["unhealthy stays unhealthy on more failures", [c, c, c], ["unhealthy*", "unhealthy", "unhealthy"]],
  ])("%s", (_name, probes, expected) => {
    expect(run(probes)).toEqual(expected);
  });

  it.each<[number, number, ProbeStatus[], string[]]>([
    [1, 1, [p, c, p], ["healthy*", "unhealthy*", "healthy*"]],
    [0, 0, [p, c, p], ["healthy*", "unhealthy*", "healthy*"]],
    [3, 1, [c, p, p, p], ["unhealthy*", "unhealthy", "unhealthy", "healthy*"]],
  ])("rise %i / fall %i damps accordingly (values below 1 act as 1)", (rise, fall, probes, expected) => {
    expect(run(probes, initialDampingState, { rise, fall })).toEqual(expected);
  });

  it("counts the current streak in every status", () => {
    let state = initialDampingState;
    for (const probe of [p, p, c, c] as const) state = applyProbe(state, probe, thresholds).state;
    expect(state).toEqual({ status: "healthy", consecutiveSuccesses: 0, consecutiveFailures: 2 });
    state = applyProbe(state, w, thresholds).state;
    expect(state).toEqual({ status: "degraded", consecutiveSuccesses: 1, consecutiveFailures: 0 });
  });

  it("applies a lowered threshold on the next probe", () => {
    const down: DampingState = { status: "unhealthy", consecutiveSuccesses: 2, consecutiveFailures: 0 };
    expect(applyProbe(down, p, { rise: 5, fall: 3 }).state.status).toBe("unhealthy");
    expect(applyProbe(down, p, { rise: 3, fall: 3 }).state.status).toBe("healthy");
  });

  it("reports the previous status and saturates counters", () => {
    const long: DampingState = {
      status: "healthy",
      consecutiveSuccesses: 0xffff_ffff,
      consecutiveFailures: 0,
    };
    const step = applyProbe(long, p, thresholds);
    expect(step.previous).toBe<HealthStatus>("healthy");
    expect(step.changed).toBe(false);
    expect(step.state.consecutiveSuccesses).toBe(0xffff_ffff);
  });

  it("never mutates the state it is given", () => {
    const state = Object.freeze({ ...initialDampingState });
    expect(() => applyProbe(state, c, thresholds)).not.toThrow();
    expect(state).toEqual(initialDampingState);
  });
});
