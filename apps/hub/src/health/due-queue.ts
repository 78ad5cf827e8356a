interface Slot<T> {
  readonly dueAt: number;
  readonly seq: number;
  readonly value: T;
}

/**
 * A min-heap of values by due time (ties in insertion order): O(log n) push and pop, O(1) peek.
 * The scheduler keeps one clock timer for the earliest entry instead of one timer per target,
 * so each tick costs O(k log n) for k due targets, never a scan of all n.
 * @internal
 */
export class DueQueue<T> {
  private readonly heap: Slot<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Due time of the earliest entry, or undefined when empty. */
  peekDueAt(): number | undefined {
    return this.heap[0]?.dueAt;
  }

  push(dueAt: number, value: T): void {
    this.heap.push({ dueAt, seq: this.nextSeq++, value });
    this.siftUp(this.heap.length - 1);
  }

  /** Removes and returns the earliest entry if it is due at `now` or before. */
  popDue(now: number): T | undefined {
    const top = this.heap[0];
    if (!top || top.dueAt > now) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top.value;
  }

  clear(): void {
    this.heap.length = 0;
  }

  private siftUp(index: number): void {
    const { heap } = this;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const { heap } = this;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}

function before<T>(a: Slot<T>, b: Slot<T>): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}
