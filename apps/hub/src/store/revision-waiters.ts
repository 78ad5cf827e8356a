/**
 * Writers waiting for an in-memory view to apply their write's revision: a write through the
 * store comes back through the view's watch, and answering before then would let the caller read
 * its own write as missing. Shared by every view kept current by a store watch.
 */
export class RevisionWaiters {
  private readonly waiting: Array<{ revision: number; resolve: () => void }> = [];
  private closed = false;

  constructor(private readonly appliedRevision: () => number) {}

  /** Resolves once the view has applied `revision` (at once when it has, or when closed). */
  waitFor(revision: number): Promise<void> {
    if (this.appliedRevision() >= revision || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ revision, resolve }));
  }

  /** Releases the writers whose revision the view has now applied. */
  release(): void {
    const applied = this.appliedRevision();
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i]!;
      if (waiter.revision <= applied) {
        this.waiting.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Releases everyone: the view is closing. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.resolve();
  }
}
