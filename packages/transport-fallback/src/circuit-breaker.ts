import type { Clock } from "./clock.js";
import type { ResolvedCircuitBreakerOptions } from "./options.js";
import { OutcomeWindow } from "./outcome-window.js";

/** `closed`: calls flow. `open`: calls are refused until the cool-down ends. `half_open`: a few probes test the transport. */
export type BreakerState = "closed" | "open" | "half_open";

/**
 * Permission for one call through a breaker. Report exactly one outcome; later reports are ignored.
 * `release()` is for outcomes that say nothing about the transport (e.g. the caller cancelled).
 */
export interface BreakerPermit {
  success(): void;
  failure(): void;
  release(): void;
}

/** A circuit breaker for one transport. @internal */
export interface CircuitBreaker {
  /** The current state; an open breaker whose cool-down has ended reports (and becomes) `half_open`. */
  state(): BreakerState;
  /** A permit for one call, or `undefined` when the breaker is open or its probe slots are taken. */
  tryAcquire(): BreakerPermit | undefined;
}

// The window advances in tenths, so an outcome ages out at most a tenth of the window late.
const windowBuckets = 10;

/**
 * Creates a failure-rate circuit breaker. Closed, it counts outcomes over a sliding window and opens
 * when the window holds at least `minimumCalls` outcomes and the failure rate reaches
 * `failureRateThreshold`. Open, it refuses calls for `cooldownMs`, then turns half-open and lets
 * up to `halfOpenMaxCalls` probes through: a probe's success closes it (with an empty window),
 * a probe's failure opens it again for another cool-down. All time comes from `clock`.
 * @internal
 */
export function createCircuitBreaker(
  options: ResolvedCircuitBreakerOptions,
  clock: Clock,
  onStateChange: (from: BreakerState, to: BreakerState) => void,
): CircuitBreaker {
  const window = new OutcomeWindow(options.windowMs, windowBuckets);
  let state: BreakerState = "closed";
  let openedAt = 0;
  let probesInFlight = 0;
  // Bumped on every state change: an outcome from a permit granted under an earlier state (a slow
  // call that was let through while closed) must not close or re-open the breaker.
  let generation = 0;

  const moveTo = (next: BreakerState): void => {
    const previous = state;
    state = next;
    generation += 1;
    probesInFlight = 0;
    if (next === "open") openedAt = clock.now();
    if (next === "closed") window.clear();
    onStateChange(previous, next);
  };

  const currentState = (): BreakerState => {
    if (state === "open" && clock.now() - openedAt >= options.cooldownMs) moveTo("half_open");
    return state;
  };

  const onClosedOutcome = (failed: boolean): void => {
    const now = clock.now();
    window.record(now, failed);
    if (!failed) return;
    const { successes, failures } = window.counts(now);
    const calls = successes + failures;
    if (calls >= options.minimumCalls && failures / calls >= options.failureRateThreshold) moveTo("open");
  };

  const permit = (grantedIn: BreakerState, grantedGeneration: number): BreakerPermit => {
    let settled = false;
    const settle = (outcome: "success" | "failure" | "release"): void => {
      if (settled) return;
      settled = true;
      if (grantedGeneration !== generation) return;
      if (grantedIn === "closed") {
        if (outcome !== "release") onClosedOutcome(outcome === "failure");
        return;
      }
      if (outcome === "success") moveTo("closed");
      else if (outcome === "failure") moveTo("open");
      else probesInFlight -= 1;
    };
    return {
      success: () => settle("success"),
      failure: () => settle("failure"),
      release: () => settle("release"),
    };
  };

  return {
    state: currentState,
    tryAcquire() {
      const now = currentState();
      if (now === "open") return undefined;
      if (now === "half_open") {
        if (probesInFlight >= options.halfOpenMaxCalls) return undefined;
        probesInFlight += 1;
      }
      return permit(now, generation);
    },
  };
}
