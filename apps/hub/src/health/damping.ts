/**
 * Rise/fall damping: turns a stream of probe results into an instance status that does not
 * flap with every lost packet.
 *
 * Rules (success = a `passing` or `warning` probe; failure = a `critical` probe):
 *
 * 1. Counters. A success adds one to `consecutiveSuccesses` and zeroes `consecutiveFailures`;
 *    a failure does the opposite. Both are kept in every status, so they always describe the
 *    current streak.
 * 2. From `unknown`, the first probe decides at once: passing -> healthy, warning -> degraded,
 *    critical -> unhealthy. A new instance is thus usable (or known broken) after one probe
 *    instead of waiting `rise` intervals.
 * 3. From `unhealthy`, the instance comes back only after `rise` consecutive successes. Which of
 *    healthy or degraded it comes back as is decided by the probe that completes the streak.
 * 4. From `healthy` or `degraded` (both "up": routable), the instance goes `unhealthy` only after
 *    `fall` consecutive failures. A failure short of that leaves the status as it was.
 * 5. While up, a success sets healthy (passing) or degraded (warning) at once. Degraded is the
 *    service's own report about its quality, not a liveness signal, so it is not damped: the
 *    service already decided to say it, and both states stay routable, so a switch between them
 *    never removes capacity. Damping guards only the up/down edge.
 * 6. Thresholds are compared with `>=` on every probe, so a rise or fall changed mid-streak
 *    applies from the next probe; values below 1 act as 1 (no damping).
 *
 * The functions are pure: no clock, no I/O.
 */
import type { ProbeStatus } from "./probe.js";

/** What discovery filters on. `unknown`: no probe has decided yet. */
export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "unknown";

/** The damped status of one target and its current streak. */
export interface DampingState {
  readonly status: HealthStatus;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
}

/** How many consecutive probes it takes to cross the up/down edge. */
export interface DampingThresholds {
  /** Consecutive successes that turn an unhealthy target healthy (or degraded). */
  readonly rise: number;
  /** Consecutive failures that turn a healthy or degraded target unhealthy. */
  readonly fall: number;
}

/** The outcome of feeding one probe to the state machine. */
export interface DampingStep {
  readonly state: DampingState;
  /** The status before this probe. */
  readonly previous: HealthStatus;
  /** Whether `state.status` differs from `previous`. */
  readonly changed: boolean;
}

/** The state of a target no probe has reported on yet. */
export const initialDampingState: DampingState = {
  status: "unknown",
  consecutiveSuccesses: 0,
  consecutiveFailures: 0,
};

// Counters saturate here so they always fit the uint32 fields of hub.v1.CheckResult.
const maxCount = 0xffff_ffff;

/** Feeds one probe result to the rise/fall state machine described at the top of this file. */
export function applyProbe(
  state: DampingState,
  probe: ProbeStatus,
  thresholds: DampingThresholds,
): DampingStep {
  const success = probe !== "critical";
  const consecutiveSuccesses = success ? Math.min(state.consecutiveSuccesses + 1, maxCount) : 0;
  const consecutiveFailures = success ? 0 : Math.min(state.consecutiveFailures + 1, maxCount);
  const upStatus: HealthStatus = probe === "warning" ? "degraded" : "healthy";
  const status = nextStatus(
    state.status,
    success,
    upStatus,
    consecutiveSuccesses,
    consecutiveFailures,
    thresholds,
  );
  return {
    state: { status, consecutiveSuccesses, consecutiveFailures },
    previous: state.status,
    changed: status !== state.status,
  };
}

function nextStatus(
  current: HealthStatus,
  success: boolean,
  upStatus: HealthStatus,
  successes: number,
  failures: number,
  thresholds: DampingThresholds,
): HealthStatus {
  switch (current) {
    case "unknown":
      return success ? upStatus : "unhealthy";
    case "unhealthy":
      return success && successes >= Math.max(1, thresholds.rise) ? upStatus : "unhealthy";
    case "healthy":
    case "degraded":
      if (success) return upStatus;
      return failures >= Math.max(1, thresholds.fall) ? "unhealthy" : current;
  }
}
