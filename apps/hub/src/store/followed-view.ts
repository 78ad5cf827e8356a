import { RevisionWaiters } from "./revision-waiters.js";
import type { KeyValue, Store, Watch, WatchBatch } from "./store.js";

/** An in-memory view of one key prefix: loaded from a range read, then fed watch batches. */
export interface ViewOfPrefix<C> {
  readonly revision: number;
  /** Replaces everything with a range read of the prefix at `revision`. */
  load(kvs: readonly KeyValue[], revision: number): void;
  /** Applies one committed batch; returns what changed, for listeners. */
  apply(batch: WatchBatch): C[];
}

/**
 * Keeps a view current from the store: a range read, then the prefix's watch from the next
 * revision; when the watch fails, reports it and loads again. Listeners get each batch's changes,
 * and an empty list after a reload (start over). Writers wait for their revision to be applied
 * (`waitFor`) so they read their own writes. Every domain module's view follows the store this
 * way, which is what makes one replica and five behave the same.
 */
export class FollowedView<C> {
  private readonly listeners = new Set<(changes: readonly C[]) => void>();
  private readonly waiters: RevisionWaiters;
  private watch: Watch | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly view: ViewOfPrefix<C>,
    private readonly onWatchError?: (error: Error) => void,
  ) {
    this.waiters = new RevisionWaiters(() => view.revision);
  }

  /** Loads the view and starts following; resolves once the view is loaded. */
  async start(): Promise<void> {
    this.watch?.close();
    const { kvs, revision } = await this.store.range(this.prefix);
    this.view.load(kvs, revision);
    this.watch = this.store.watch(this.prefix, {
      fromRevision: revision + 1,
      onEvents: (batch) => {
        const changes = this.view.apply(batch);
        this.waiters.release();
        if (changes.length > 0) for (const listener of this.listeners) listener(changes);
      },
      onError: (error) => {
        if (this.closed) return;
        this.onWatchError?.(error);
        void this.start().then(() => {
          for (const listener of this.listeners) listener([]);
        });
      },
    });
    this.waiters.release();
  }

  /** Subscribes to applied changes; returns the unsubscribe function. */
  subscribe(listener: (changes: readonly C[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the view has applied `revision` (at once after close). */
  waitFor(revision: number): Promise<void> {
    return this.waiters.waitFor(revision);
  }

  /** Stops following and releases every waiting writer. */
  close(): void {
    this.closed = true;
    this.watch?.close();
    this.waiters.close();
  }
}
