import type { WatchBatch } from "./store.js";

/**
 * The most recent `limit` committed batches, one per revision, in a ring buffer. Revisions are
 * contiguous (every revision is exactly one committed write), so a revision is its own index.
 * @internal
 */
export class HistoryLog {
  private readonly slots: (WatchBatch | undefined)[];
  private first: number;
  private next: number;

  /** `nextRevision` is the revision the next appended batch must carry. */
  constructor(
    private readonly limit: number,
    nextRevision: number,
  ) {
    this.slots = new Array<WatchBatch | undefined>(limit);
    this.first = nextRevision;
    this.next = nextRevision;
  }

  /** The oldest revision that can still be replayed (the next one when the log is empty). */
  get oldestRevision(): number {
    return this.first;
  }

  /** The newest revision held, or `oldestRevision - 1` when empty. */
  get newestRevision(): number {
    return this.next - 1;
  }

  append(batch: WatchBatch): void {
    if (batch.revision !== this.next) {
      throw new Error(`history expected revision ${this.next}, got ${batch.revision}`);
    }
    this.slots[this.next % this.limit] = batch;
    this.next++;
    if (this.next - this.first > this.limit) this.first++;
  }

  /** The batch of `revision`, which must lie in [oldestRevision, newestRevision]. */
  at(revision: number): WatchBatch {
    if (revision < this.first || revision >= this.next) {
      throw new RangeError(`revision ${revision} is outside the history [${this.first}, ${this.next - 1}]`);
    }
    return this.slots[revision % this.limit]!;
  }
}
