import { ConnectError, createClient } from "@connectrpc/connect";
import { DiscoveryService, Health, HealthCheckResponse_ServingStatus } from "@hub/proto";
import { backoffDelay } from "./backoff.js";
import { type Clock, sleep, type TimerHandle } from "./clock.js";
import type { EventBus } from "./events.js";
import { type HubEndpoint, type HubPool, isHubUnreachable } from "./hub-pool.js";
import type { ResolvedBackoffOptions } from "./options.js";
import type { ServiceCache } from "./service-cache.js";

/** The watch as `cacheState()` reports it. @internal */
export interface WatchStatus {
  /** A stream is open and the cache is current. */
  readonly connected: boolean;
  /** The hub of the open stream, else of the last one. */
  readonly hubUrl: string | null;
  /** Clock time at which the cache was last known to be current; null before the first snapshot. */
  readonly lastSyncedAt: number | null;
}

/** How a wait for the first snapshot ended. @internal */
export type SnapshotWait = "loaded" | "unreachable" | "timeout" | "closed";

/** Keeps the cache current from WatchServices, reconnecting and failing over. @internal */
export interface ServiceWatcher {
  /** Opens the stream unless it is already running. */
  start(): void;
  status(): WatchStatus;
  /**
   * Resolves once the cache holds a snapshot, or every hub failed a round of attempts, or
   * `timeoutMs` passed, or the watcher closed.
   * @throws the signal's reason when `signal` fires first.
   */
  waitForSnapshot(timeoutMs: number, signal: AbortSignal | null): Promise<SnapshotWait>;
  close(): void;
}

/** What a watcher needs from its client. @internal */
export interface WatcherSettings {
  readonly pool: HubPool;
  readonly cache: ServiceCache;
  readonly clock: Clock;
  readonly random: () => number;
  readonly backoff: ResolvedBackoffOptions;
  /** Deadline of each health check of the stream's hub. */
  readonly attemptTimeoutMs: number;
  /** Time between health checks of the stream's hub. */
  readonly checkIntervalMs: number;
  readonly headers: Record<string, string>;
  readonly legacyMode: boolean;
  readonly events: EventBus;
}

/** How one stream ended. */
interface SessionEnd {
  /** The stream was confirmed current at some point (snapshot, change, or accepted resume). */
  readonly confirmed: boolean;
  readonly error: ConnectError | null;
}

/**
 * Creates a watcher. One stream at a time: the preferred hub first, then the others; after every
 * hub failed, an exponential backoff with jitter. A stream resumes from the cache's revision, and a
 * snapshot the hub sends instead replaces the cache.
 *
 * The hub sends a stream's response headers with its first message, so a resumed stream with
 * nothing to replay is indistinguishable from one still connecting. A grpc.health.v1 check of the
 * same hub settles it, and repeats every `checkIntervalMs` to catch a stream that died silently.
 * @internal
 */
export function createServiceWatcher(settings: WatcherSettings): ServiceWatcher {
  const { pool, cache, clock, events } = settings;
  const stopping = new AbortController();
  let running = false;
  let connected = false;
  let hubUrl: string | null = null;
  let lastSyncedAt: number | null = null;
  const waiters = new Set<(outcome: SnapshotWait) => void>();

  const notify = (outcome: SnapshotWait) => {
    for (const waiter of [...waiters]) waiter(outcome);
  };

  async function session(endpoint: HubEndpoint): Promise<SessionEnd> {
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, stopping.signal]);
    const resume = cache.loaded;
    let confirmed = false;
    let checkError: ConnectError | null = null;
    let checkTimer: TimerHandle | undefined;

    const confirm = (resumed: boolean) => {
      lastSyncedAt = clock.now();
      if (confirmed) return;
      confirmed = true;
      connected = true;
      hubUrl = endpoint.url;
      pool.worked(endpoint);
      events.emit({ type: "watch_connected", hubUrl: endpoint.url, resumed, revision: cache.revision });
      notify("loaded");
    };

    const check = async () => {
      checkTimer = undefined;
      try {
        const response = await createClient(Health, endpoint.transport).check(
          {},
          { signal, timeoutMs: settings.attemptTimeoutMs, headers: settings.headers },
        );
        if (response.status !== HealthCheckResponse_ServingStatus.SERVING) {
          throw new ConnectError(`hub ${endpoint.url} is not serving (it is shutting down)`);
        }
        if (confirmed) lastSyncedAt = clock.now();
        else if (resume) confirm(true);
      } catch (caught) {
        if (signal.aborted) return;
        const error = ConnectError.from(caught);
        // Any answer in the protocol proves the hub reachable, even one saying it has no health service.
        if (error.isWireError && !isHubUnreachable(error)) {
          if (!confirmed && resume) confirm(true);
        } else {
          checkError = error;
          abort.abort();
          return;
        }
      }
      if (!signal.aborted) checkTimer = clock.setTimeout(() => void check(), settings.checkIntervalMs);
    };

    const request = { fromRevision: resume ? cache.revision : 0n, legacyMode: settings.legacyMode };
    const stream = createClient(DiscoveryService, endpoint.transport).watchServices(request, {
      signal,
      headers: settings.headers,
    });
    // A resume needs the check to know it is current; a fresh stream learns that from its snapshot.
    if (resume) void check();
    else checkTimer = clock.setTimeout(() => void check(), settings.checkIntervalMs);
    let error: ConnectError | null = null;
    try {
      for await (const message of stream) {
        switch (message.event.case) {
          case "snapshot":
            cache.replace(message.revision, message.event.value.services);
            events.emit({
              type: "snapshot",
              hubUrl: endpoint.url,
              revision: message.revision,
              services: cache.size,
            });
            confirm(false);
            break;
          case "change": {
            const change = message.event.value;
            if (cache.apply(message.revision, change)) {
              events.emit({
                type: "instance_changed",
                hubUrl: endpoint.url,
                revision: message.revision,
                name: change.name,
                instanceId: change.instanceId,
                instance: cache.instance(change.name, change.instanceId) ?? null,
              });
            }
            confirm(true);
            break;
          }
          default:
            break;
        }
      }
      error = new ConnectError(`hub ${endpoint.url} ended the watch stream`);
    } catch (caught) {
      error = checkError ?? ConnectError.from(caught);
    } finally {
      abort.abort();
      if (checkTimer !== undefined) clock.clearTimeout(checkTimer);
    }
    // A stream that broke was current until now; one a failed check ended, only until the last good check.
    if (confirmed && checkError === null) lastSyncedAt = clock.now();
    connected = false;
    return { confirmed, error };
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let confirmedThisRound = false;
      let lastError: ConnectError | null = null;
      let lastUrl: string | null = null;
      const round = pool.ordered();
      for (const [index, endpoint] of round.entries()) {
        if (stopping.signal.aborted) return;
        const end = await session(endpoint);
        confirmedThisRound ||= end.confirmed;
        lastError = end.error;
        lastUrl = endpoint.url;
        const next = round[index + 1];
        if (next !== undefined && end.error !== null && !stopping.signal.aborted) {
          events.emit({ type: "hub_failover", from: endpoint.url, to: next.url, error: end.error });
        }
      }
      if (stopping.signal.aborted) return;
      failures = confirmedThisRound ? 1 : failures + 1;
      if (!cache.loaded) notify("unreachable");
      const retryInMs = backoffDelay(failures, settings.backoff, settings.random);
      events.emit({ type: "watch_disconnected", hubUrl: lastUrl, error: lastError, retryInMs });
      try {
        await sleep(clock, retryInMs, stopping.signal);
      } catch {
        return;
      }
    }
  }

  return {
    start() {
      if (running || stopping.signal.aborted) return;
      running = true;
      // run() handles every failure itself; the catch only keeps a bug from becoming an unhandled rejection.
      run().catch(() => {});
    },
    status() {
      return { connected, hubUrl, lastSyncedAt };
    },
    waitForSnapshot(timeoutMs, signal) {
      if (cache.loaded) return Promise.resolve("loaded");
      if (stopping.signal.aborted) return Promise.resolve("closed");
      return new Promise((resolve, reject) => {
        let timer: TimerHandle | undefined;
        const cleanup = () => {
          waiters.delete(finish);
          if (timer !== undefined) clock.clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          stopping.signal.removeEventListener("abort", onClose);
        };
        const finish = (outcome: SnapshotWait) => {
          cleanup();
          resolve(outcome);
        };
        const onAbort = () => {
          cleanup();
          reject(signal?.reason);
        };
        const onClose = () => finish("closed");
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        waiters.add(finish);
        timer = clock.setTimeout(() => finish("timeout"), timeoutMs);
        signal?.addEventListener("abort", onAbort, { once: true });
        stopping.signal.addEventListener("abort", onClose, { once: true });
      });
    },
    close() {
      stopping.abort();
      connected = false;
      notify("closed");
    },
  };
}
