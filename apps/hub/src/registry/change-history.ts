import type { ViewChange } from "./registry-view.js";

/**
 * A bounded log of recent registry changes, so a watcher that reconnects with its last revision
 * gets exactly what it missed, or learns that it must start again from a snapshot.
 */
export class ChangeHistory {
  private readonly changes: ViewChange[] = [];
  private start = 0;
  /** Changes at or below this revision may have been dropped. */
  private floor: number;

  constructor(
    private readonly limit: number,
    initialRevision: number,
  ) {
    this.floor = initialRevision;
  }

  /** Forgets everything before `revision` (after a reload of the whole view). */
  reset(revision: number): void {
    this.changes.length = 0;
    this.start = 0;
    this.floor = revision;
  }

  append(change: ViewChange): void {
    this.changes.push(change);
    if (this.changes.length - this.start > this.limit) {
      this.floor = Math.max(this.floor, this.changes[this.start]!.revision);
      this.start++;
      // Compact the backing array now and then instead of shifting on every append.
      if (this.start > this.limit) {
        this.changes.splice(0, this.start);
        this.start = 0;
      }
    }
  }

  /** Every change after `revision`, or undefined when some of them are no longer kept. */
  since(revision: number): ViewChange[] | undefined {
    if (revision < this.floor) return undefined;
    const result: ViewChange[] = [];
    for (let i = this.changes.length - 1; i >= this.start; i--) {
      const change = this.changes[i]!;
      if (change.revision <= revision) break;
      result.push(change);
    }
    return result.reverse();
  }
}
