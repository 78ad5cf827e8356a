import type { Clock } from "../clock.js";
import { type CheckOutcome, type CheckScheduler, createCheckScheduler, type Probe } from "../health/index.js";
import type { HubLogger } from "../logger.js";
import type { InstanceRecord, InstanceStatus } from "./instance.js";
import type { Registry } from "./registry.js";

export interface InstanceChecksOptions {
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: HubLogger;
  readonly maxConcurrent: number;
  /** Probe to use instead of the real protocol probes (tests). */
  readonly probe?: Probe;
}

export interface InstanceChecks {
  readonly scheduler: CheckScheduler;
  close(): Promise<void>;
}

const reported: Record<CheckOutcome["result"]["status"], InstanceStatus> = {
  passing: "healthy",
  warning: "degraded",
  critical: "unhealthy",
};

/**
 * Keeps the check scheduler in step with the registry (every instance with checks enabled is a
 * target) and feeds each probe's outcome back into the registry.
 */
export function startInstanceChecks(options: InstanceChecksOptions): InstanceChecks {
  const { registry, logger } = options;
  const scheduled = new Map<string, InstanceRecord>();
  const scheduler = createCheckScheduler({
    clock: options.clock,
    maxConcurrent: options.maxConcurrent,
    ...(options.probe ? { probe: options.probe } : {}),
    onResult: (key, outcome) => {
      const record = scheduled.get(key);
      if (!record) return;
      const { result, state } = outcome;
      const lastCheck = {
        passing: result.status !== "critical",
        reportedStatus: reported[result.status],
        message: result.message,
        latencyMs: result.latencyMs,
        checkedAt: state.checkedAt,
        consecutiveSuccesses: state.consecutiveSuccesses,
        consecutiveFailures: state.consecutiveFailures,
      };
      if (state.status === "unknown") return;
      registry
        .recordCheck(record.name, record.id, lastCheck, state.status, result.message)
        .catch((error: unknown) => {
          logger.warn({ err: error, instance: key }, "could not record a health check result");
        });
    },
    onError: (error, key) =>
      logger.error({ err: error, instance: key }, "health check result handler failed"),
  });

  const sync = (name: string, id: string) =>
    schedule(`${name}/${id}`, registry.view.getStored(name, id)?.record);
  const schedule = (key: string, record: InstanceRecord | undefined) => {
    if (!record || record.healthCheck.disabled) {
      if (scheduled.delete(key)) scheduler.remove(key);
      return;
    }
    if (scheduled.get(key) === record) return;
    scheduled.set(key, record);
    scheduler.upsert({
      key,
      protocol: record.protocol,
      host: record.host,
      port: record.port,
      path: record.healthEndpoint || "/",
      grpcService: record.healthCheck.grpcService,
      intervalMs: record.healthCheck.intervalMs,
      timeoutMs: record.healthCheck.timeoutMs,
      rise: record.healthCheck.rise,
      fall: record.healthCheck.fall,
    });
  };
  const syncAll = () => {
    // With nothing scheduled yet (the hub starting), there is nothing to drop and no need to
    // name every unchecked instance: that saves 100k strings when restarting with 100k.
    const live = scheduled.size > 0 ? new Set<string>() : undefined;
    for (const service of registry.view.listServices()) {
      for (const { record } of service.ordered) {
        if (live === undefined && record.healthCheck.disabled) continue;
        const key = `${record.name}/${record.id}`;
        live?.add(key);
        schedule(key, record);
      }
    }
    if (live === undefined) return;
    for (const key of [...scheduled.keys()]) {
      if (!live.has(key)) {
        scheduled.delete(key);
        scheduler.remove(key);
      }
    }
  };

  syncAll();
  const unsubscribe = registry.subscribe((changes) => {
    if (changes.length === 0) syncAll(); // the view was reloaded
    for (const change of changes) sync(change.name, change.id);
  });
  return {
    scheduler,
    async close() {
      unsubscribe();
      await scheduler.close();
    },
  };
}
