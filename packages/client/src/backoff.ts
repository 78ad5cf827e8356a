import type { ResolvedBackoffOptions } from "./options.js";

/**
 * The delay before retry number `failures` (1 after the first failure): `initialMs` grown by
 * `multiplier` per further failure, capped at `maxMs`, then shortened at random by up to
 * `jitter` of itself so that clients which failed together do not retry together.
 * @internal
 */
export function backoffDelay(
  failures: number,
  options: ResolvedBackoffOptions,
  random: () => number,
): number {
  const exponent = Math.max(0, failures - 1);
  // Capping the exponent keeps multiplier ** exponent finite; maxMs caps the product anyway.
  const base = Math.min(options.maxMs, options.initialMs * options.multiplier ** Math.min(exponent, 64));
  return Math.round(base * (1 - options.jitter * random()));
}

/**
 * A heartbeat interval shortened at random by up to `jitter` of itself. Never lengthened: a late
 * heartbeat risks the lease, an early one only costs a request.
 * @internal
 */
export function jitteredInterval(intervalMs: number, jitter: number, random: () => number): number {
  return Math.max(1, Math.round(intervalMs * (1 - jitter * random())));
}
