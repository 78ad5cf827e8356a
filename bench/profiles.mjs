/**
 * How long and how big each scenario runs.
 * @typedef {object} Profile
 * @property {"full" | "quick"} name
 * @property {number[]} concurrencies
 * @property {number} warmupMs before each measured load window
 * @property {number} firstWarmupMs instead, the first time a server path is loaded (JIT warm-up)
 * @property {number} durationMs of each measured load window
 * @property {number[]} scaleSizes registry sizes for Discover (10 instances per service)
 * @property {number} burst instances in the registration burst (and heartbeat set)
 * @property {number} watchers
 * @property {number} watchChanges through @hub/client caches (the target's figure)
 * @property {number} watchStreamChanges through raw WatchServices streams (where the time goes)
 * @property {number} healthInstances
 * @property {number} healthIntervalS check interval of every instance
 * @property {number} healthIdleMs idle event-loop window
 * @property {number} healthSettleMs after registering checked instances
 * @property {number} healthWindowMs measured checking window
 * @property {number} restarts hub restarts per case (median reported)
 */

/** @type {Record<"full" | "quick", Profile>} */
export const profiles = {
  full: {
    name: "full",
    concurrencies: [16, 64],
    warmupMs: 750,
    firstWarmupMs: 1500,
    durationMs: 2500,
    scaleSizes: [1000, 10_000, 100_000],
    burst: 10_000,
    watchers: 100,
    watchChanges: 1000,
    watchStreamChanges: 300,
    healthInstances: 10_000,
    healthIntervalS: 10,
    healthIdleMs: 5000,
    healthSettleMs: 5000,
    healthWindowMs: 10_000,
    restarts: 3,
  },
  // For CI: every code path, small counts, a second or so per load; figures are indicative only.
  quick: {
    name: "quick",
    concurrencies: [16, 64],
    warmupMs: 150,
    firstWarmupMs: 500,
    durationMs: 350,
    scaleSizes: [500, 1000],
    burst: 500,
    watchers: 100,
    watchChanges: 100,
    watchStreamChanges: 100,
    healthInstances: 300,
    healthIntervalS: 1,
    healthIdleMs: 500,
    healthSettleMs: 300,
    healthWindowMs: 1000,
    restarts: 1,
  },
};
