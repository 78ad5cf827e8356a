import type { Clock } from "@hub/client";
import { BaseServiceError } from "../base-service-error.js";
import { type HealthStatus, isHealthStatus } from "./health-status.js";

/**
 * What a {@link DependencyCheck} may resolve with: nothing or `true` is healthy, `false` unhealthy,
 * and a {@link HealthStatus} says it exactly.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a check that only awaits a ping returns Promise<void>; `void` keeps it assignable.
export type DependencyCheckOutcome = void | boolean | HealthStatus;

/**
 * Checks one dependency (see {@link DependencyCheckOutcome}); throwing or rejecting is unhealthy
 * with the error's message. `signal` aborts when the check's time is up: pass it on to the I/O.
 */
export type DependencyCheck = (
  signal: AbortSignal,
) => DependencyCheckOutcome | Promise<DependencyCheckOutcome>;

/** Options of one dependency check. */
export interface DependencyCheckOptions {
  /** How long the check may take before it counts as unhealthy, in ms. Default: the service's `dependencyTimeoutMs` (1000). */
  timeoutMs?: number;
  /**
   * Whether the service cannot work without it: an unhealthy critical dependency makes the service
   * unhealthy (503, taken out of discovery); a non-critical one only degraded. Default: false.
   */
  critical?: boolean;
}

/** The outcome of one check. */
export interface DependencyResult {
  readonly name: string;
  readonly status: HealthStatus;
  readonly critical: boolean;
  /** Why it is not healthy (the error's message, "timed out after 1000 ms"); empty when healthy. */
  readonly message: string;
  readonly latencyMs: number;
}

interface Registered {
  readonly name: string;
  readonly check: DependencyCheck;
  readonly timeoutMs: number;
  readonly critical: boolean;
}

/**
 * The dependency checks of a service. `run()` runs them all at once, each under its own timeout on
 * the clock; calls that arrive while a run is in flight share it, so a burst of `/health` requests
 * costs one round of checks.
 * @internal
 */
export class DependencyChecks {
  readonly #checks = new Map<string, Registered>();
  readonly #clock: Clock;
  readonly #defaultTimeoutMs: number;
  #running: Promise<DependencyResult[]> | undefined;

  constructor(clock: Clock, defaultTimeoutMs: number) {
    this.#clock = clock;
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  /** @throws BaseServiceError INVALID_CONFIG for an empty or taken name or a bad timeout. */
  add(name: string, check: DependencyCheck, options: DependencyCheckOptions = {}): void {
    if (name.trim() === "" || name.length > 128) {
      throw new BaseServiceError("INVALID_CONFIG", "dependency name must be 1-128 characters");
    }
    if (this.#checks.has(name)) {
      throw new BaseServiceError("INVALID_CONFIG", `dependency ${name} is already registered`);
    }
    if (typeof check !== "function") {
      throw new BaseServiceError("INVALID_CONFIG", `dependency ${name}: check must be a function`);
    }
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
      throw new BaseServiceError("INVALID_CONFIG", `dependency ${name}: timeoutMs must be 1-600000`);
    }
    this.#checks.set(name, { name, check, timeoutMs, critical: options.critical ?? false });
  }

  /** Removes a check; true when there was one. */
  remove(name: string): boolean {
    return this.#checks.delete(name);
  }

  /** Runs every check (sharing a run already in flight). Never rejects. */
  run(): Promise<DependencyResult[]> {
    this.#running ??= Promise.all([...this.#checks.values()].map((entry) => this.#runOne(entry))).finally(
      () => {
        this.#running = undefined;
      },
    );
    return this.#running;
  }

  #runOne(entry: Registered): Promise<DependencyResult> {
    const startedAt = this.#clock.now();
    const controller = new AbortController();
    const result = (status: HealthStatus, message: string): DependencyResult => ({
      name: entry.name,
      status,
      critical: entry.critical,
      message,
      latencyMs: Math.max(0, this.#clock.now() - startedAt),
    });
    return new Promise<DependencyResult>((resolve) => {
      let settled = false;
      const settle = (value: DependencyResult) => {
        if (settled) return;
        settled = true;
        this.#clock.clearTimeout(timer);
        resolve(value);
      };
      const timer = this.#clock.setTimeout(() => {
        const message = `timed out after ${entry.timeoutMs} ms`;
        controller.abort(new DOMException(`dependency ${entry.name} ${message}`, "TimeoutError"));
        settle(result("unhealthy", message));
      }, entry.timeoutMs);
      let outcome: ReturnType<DependencyCheck>;
      try {
        outcome = entry.check(controller.signal);
      } catch (error) {
        settle(result("unhealthy", messageOf(error)));
        return;
      }
      Promise.resolve(outcome).then(
        (value) => {
          const status = statusOf(value);
          settle(result(status, status === "healthy" ? "" : `check reported ${status}`));
        },
        (error: unknown) => settle(result("unhealthy", messageOf(error))),
      );
    });
  }
}

function statusOf(value: unknown): HealthStatus {
  if (value === undefined || value === true) return "healthy";
  if (value === false) return "unhealthy";
  return isHealthStatus(value) ? value : "unhealthy";
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === "" ? "check failed" : message.slice(0, 256);
}
