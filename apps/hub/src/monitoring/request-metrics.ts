import type { Clock } from "../clock.js";

interface Bucket {
  second: number;
  count: number;
  errors: number;
  totalMs: number;
}

export interface RequestMetricsSnapshot {
  readonly responseTimeMs: number;
  readonly throughputRps: number;
  readonly errorRatePercent: number;
  readonly activeTenants: number;
}

/**
 * Request counts, latency and errors over a sliding window of one-second buckets, plus the
 * tenants seen in it. Cheap enough to call on every request: a ring of buckets, no timers.
 */
export class RequestMetrics {
  private readonly buckets: Bucket[];
  private readonly tenantsSeen = new Map<string, number>();
  private readonly startedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly windowSeconds = 60,
    private readonly maxTrackedTenants = 100_000,
  ) {
    this.buckets = Array.from({ length: windowSeconds }, () => ({
      second: -1,
      count: 0,
      errors: 0,
      totalMs: 0,
    }));
    this.startedAt = clock.now();
  }

  record(durationMs: number, failed: boolean, companyId: string | undefined): void {
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    const bucket = this.buckets[second % this.windowSeconds]!;
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.count = 0;
      bucket.errors = 0;
      bucket.totalMs = 0;
    }
    bucket.count++;
    bucket.totalMs += durationMs;
    if (failed) bucket.errors++;
    if (
      companyId !== undefined &&
      (this.tenantsSeen.has(companyId) || this.tenantsSeen.size < this.maxTrackedTenants)
    ) {
      this.tenantsSeen.set(companyId, now);
    }
  }

  snapshot(): RequestMetricsSnapshot {
    const now = this.clock.now();
    const current = Math.floor(now / 1000);
    let count = 0;
    let errors = 0;
    let totalMs = 0;
    for (const bucket of this.buckets) {
      if (bucket.second < 0 || current - bucket.second >= this.windowSeconds) continue;
      count += bucket.count;
      errors += bucket.errors;
      totalMs += bucket.totalMs;
    }
    const horizon = now - this.windowSeconds * 1000;
    for (const [tenant, seenAt] of this.tenantsSeen) if (seenAt < horizon) this.tenantsSeen.delete(tenant);
    const elapsedSeconds = Math.max(1, Math.min(this.windowSeconds, (now - this.startedAt) / 1000));
    return {
      responseTimeMs: count === 0 ? 0 : round(totalMs / count),
      throughputRps: round(count / elapsedSeconds),
      errorRatePercent: count === 0 ? 0 : round((errors / count) * 100),
      activeTenants: this.tenantsSeen.size,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
