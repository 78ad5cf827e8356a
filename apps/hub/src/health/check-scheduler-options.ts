import { type Clock, systemClock } from "../clock.js";
import { invalidArgument } from "../errors/hub-error.js";
import type { DampingState } from "./damping.js";
import type { Probe, ProbeResult } from "./probe.js";

/** A target's damped status plus what its latest probe said. */
export interface CheckState extends DampingState {
  /** Message of the latest probe. */
  readonly message: string;
  /** Latency of the latest probe. */
  readonly latencyMs: number;
  /** When the latest probe finished (clock milliseconds). */
  readonly checkedAt: number;
}

/** What the scheduler reports after each probe. */
export interface CheckOutcome {
  readonly result: ProbeResult;
  readonly state: CheckState;
  /** Whether `state.status` changed with this probe (see damping.ts for when it does). */
  readonly changed: boolean;
}

/** Options of {@link createCheckScheduler}. Only `onResult` is required. */
export interface CheckSchedulerOptions {
  /** Called after every probe whose target is still scheduled with the same settings. */
  onResult: (key: string, outcome: CheckOutcome) => void;
  /** Time source for intervals, timeouts and `checkedAt`. Default: the system clock. */
  clock?: Clock;
  /** Most probes running at once; due targets wait in a FIFO queue. Default: 64. */
  maxConcurrent?: number;
  /**
   * The probe to run. Default: `createProtocolProbe({ clock })`, which the scheduler then owns
   * and closes in `close()`. A probe passed in is released per removed target but not closed.
   */
  probe?: Probe;
  /**
   * Spread of each target's schedule, as a fraction of its interval: a target's probes after the
   * first are shifted by a stable offset in [0, intervalMs * jitterRatio). Default: 0.1.
   */
  jitterRatio?: number;
  /** Receives errors thrown by `onResult` (they never stop the scheduler). Default: console.error. */
  onError?: (error: unknown, key: string) => void;
}

/** {@link CheckSchedulerOptions} with every default applied. @internal */
export interface ResolvedCheckSchedulerOptions {
  readonly onResult: (key: string, outcome: CheckOutcome) => void;
  readonly clock: Clock;
  readonly maxConcurrent: number;
  /** Undefined: the scheduler creates and owns the default probe. */
  readonly probe: Probe | undefined;
  readonly jitterRatio: number;
  readonly onError: (error: unknown, key: string) => void;
}

/** The defaults, in one place. */
export const defaultCheckSchedulerOptions = {
  maxConcurrent: 64,
  jitterRatio: 0.1,
} as const;

/**
 * Applies defaults and checks bounds.
 * @throws HubError INVALID_ARGUMENT naming the field.
 * @internal
 */
export function resolveCheckSchedulerOptions(options: CheckSchedulerOptions): ResolvedCheckSchedulerOptions {
  const maxConcurrent = options.maxConcurrent ?? defaultCheckSchedulerOptions.maxConcurrent;
  const jitterRatio = options.jitterRatio ?? defaultCheckSchedulerOptions.jitterRatio;
  if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
    throw invalidArgument("maxConcurrent", `must be a positive integer (got ${maxConcurrent})`);
  }
  if (!(jitterRatio >= 0 && jitterRatio <= 1)) {
    throw invalidArgument("jitterRatio", `must be between 0 and 1 (got ${jitterRatio})`);
  }
  return {
    onResult: options.onResult,
    clock: options.clock ?? systemClock,
    maxConcurrent,
    probe: options.probe,
    jitterRatio,
    onError:
      options.onError ??
      ((error, key) => {
        console.error(`health check result handler failed for ${key}`, error);
      }),
  };
}
