/** Running totals a service keeps about its own requests, reported in its health body. */
export interface RequestStats {
  /** Records one finished request: how long it took, whether it failed, and its tenant. */
  record(durationMs: number, failed: boolean, companyId: string | undefined): void;
  /** Mean latency in milliseconds, 0 before the first request. */
  meanResponseTimeMs(): number;
  /** Requests per second since the service started. */
  throughputRps(nowMs: number): number;
  /** Share of requests that failed, in percent. */
  errorRatePercent(): number;
  /** Distinct `x-company-id` values seen. */
  activeTenants(): number;
}

/** Creates the counters; `startedAtMs` anchors the throughput figure. */
export function createRequestStats(startedAtMs: number): RequestStats {
  let count = 0;
  let failures = 0;
  let totalMs = 0;
  const tenants = new Set<string>();
  return {
    record(durationMs, failed, companyId) {
      count += 1;
      totalMs += durationMs;
      if (failed) failures += 1;
      if (companyId !== undefined) tenants.add(companyId);
    },
    meanResponseTimeMs: () => (count === 0 ? 0 : totalMs / count),
    throughputRps: (nowMs) => count / Math.max((nowMs - startedAtMs) / 1000, 1),
    errorRatePercent: () => (count === 0 ? 0 : (failures / count) * 100),
    activeTenants: () => tenants.size,
  };
}
