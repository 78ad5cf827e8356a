import { HistoryLog } from "./history-log.js";
import { CompactedError, type Watch, type WatchBatch, type WatchOptions } from "./store.js";

/**
 * Fans committed batches out to watchers and keeps the recent history they replay from.
 *
 * Replay and registration happen in one synchronous step, and every later batch reaches each
 * watcher through {@link WatchHub.publish}, so no revision falls between replay and live
 * delivery. Each watcher owns an unbounded queue, so a live watcher never misses a batch however
 * many are published between two deliveries; only replay is bounded by the history.
 * @internal
 */
export class WatchHub {
  private readonly history: HistoryLog;
  private readonly watchers = new Set<Watcher>();

  /** `nextRevision` is the first revision that will be published (history starts there). */
  constructor(historyLimit: number, nextRevision: number) {
    this.history = new HistoryLog(historyLimit, nextRevision);
  }

  /** Records a durable batch and queues it for every watcher it concerns. */
  publish(batch: WatchBatch): void {
    this.history.append(batch);
    for (const watcher of this.watchers) watcher.offer(batch);
  }

  /**
   * Starts a watch. `latestRevision` is the store's latest revision, applied or not: a live watch
   * (fromRevision 0) begins right after it.
   */
  watch(prefix: string, options: WatchOptions, latestRevision: number): Watch {
    const start = options.fromRevision > 0 ? options.fromRevision : latestRevision + 1;
    const watcher = new Watcher(prefix, start, options, (closed) => this.watchers.delete(closed));
    const oldest = this.history.oldestRevision;
    if (start < oldest) {
      watcher.fail(new CompactedError(start, oldest));
      return watcher;
    }
    for (let revision = start; revision <= this.history.newestRevision; revision++) {
      watcher.offer(this.history.at(revision));
    }
    this.watchers.add(watcher);
    return watcher;
  }

  /** A watch that only reports `error` (the store is closed or has failed). */
  failedWatch(prefix: string, options: WatchOptions, error: Error): Watch {
    const watcher = new Watcher(prefix, options.fromRevision, options, () => {});
    watcher.fail(error);
    return watcher;
  }

  /** Ends every watch: silently, or by handing each one `error` after what it has queued. */
  closeAll(error?: Error): void {
    for (const watcher of [...this.watchers]) {
      if (error === undefined) watcher.close();
      else watcher.fail(error);
    }
  }
}

/** One watch: a prefix, a start revision and a queue drained in a microtask. */
class Watcher implements Watch {
  private queue: WatchBatch[] = [];
  private pendingError: Error | undefined;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly prefix: string,
    private readonly startRevision: number,
    private readonly options: WatchOptions,
    private readonly onClose: (watcher: Watcher) => void,
  ) {}

  offer(batch: WatchBatch): void {
    if (this.closed || this.pendingError !== undefined || batch.revision < this.startRevision) return;
    const matching = filterBatch(batch, this.prefix);
    if (matching === undefined) return;
    this.queue.push(matching);
    this.schedule();
  }

  /** Delivers what is queued, then `error`, then stops. */
  fail(error: Error): void {
    if (this.closed || this.pendingError !== undefined) return;
    this.pendingError = error;
    this.onClose(this);
    this.schedule();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.onClose(this);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const batches = this.queue;
    this.queue = [];
    for (const batch of batches) {
      if (this.closed) return;
      try {
        this.options.onEvents(batch);
      } catch (error) {
        this.close();
        this.report(error instanceof Error ? error : new Error(String(error)), true);
        return;
      }
    }
    const error = this.pendingError;
    if (error !== undefined && !this.closed && this.queue.length === 0) {
      this.close();
      this.report(error, false);
    }
  }

  private report(error: Error, fromListener: boolean): void {
    if (this.options.onError !== undefined) this.options.onError(error);
    // A throwing onEvents is a bug in the caller; with no onError to tell, surface it like an
    // EventEmitter listener would rather than swallow it.
    else if (fromListener) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** The events of `batch` under `prefix`, or undefined when none are. */
function filterBatch(batch: WatchBatch, prefix: string): WatchBatch | undefined {
  if (prefix === "") return batch;
  const events = batch.events.filter((event) => event.kv.key.startsWith(prefix));
  if (events.length === 0) return undefined;
  return events.length === batch.events.length ? batch : { revision: batch.revision, events };
}
