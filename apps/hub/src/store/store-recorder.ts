import type { Store, Watch, WatchBatch } from "./store.js";

/** A watch that records what it receives, for tests. @internal */
export interface WatchRecorder {
  readonly batches: WatchBatch[];
  readonly errors: Error[];
  readonly watch: Watch;
  /** Every event received so far, flattened, as "put key=value" / "delete key" strings. */
  lines(): string[];
  /** Resolves once `predicate` holds (checked after every delivery); never sleeps. */
  until(predicate: (recorder: WatchRecorder) => boolean): Promise<void>;
  /** Resolves once a batch at `revision` or later has arrived. */
  untilRevision(revision: number): Promise<void>;
}

/**
 * Starts a recording watch on `store`.
 * @internal
 */
export function recordWatch(store: Store, prefix: string, fromRevision = 0): WatchRecorder {
  const waiters: { predicate: (recorder: WatchRecorder) => boolean; resolve: () => void }[] = [];
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!;
      if (!waiter.predicate(recorder)) continue;
      waiters.splice(i, 1);
      waiter.resolve();
    }
  };
  const batches: WatchBatch[] = [];
  const errors: Error[] = [];
  const watch = store.watch(prefix, {
    fromRevision,
    onEvents: (batch) => {
      batches.push(batch);
      check();
    },
    onError: (error) => {
      errors.push(error);
      check();
    },
  });
  const recorder: WatchRecorder = {
    batches,
    errors,
    watch,
    lines: () =>
      batches.flatMap((batch) =>
        batch.events.map((event) =>
          event.type === "put" ? `put ${event.kv.key}=${event.kv.value}` : `delete ${event.kv.key}`,
        ),
      ),
    until: (predicate) =>
      predicate(recorder)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ predicate, resolve })),
    untilRevision: (revision) => recorder.until((r) => (r.batches.at(-1)?.revision ?? 0) >= revision),
  };
  return recorder;
}
