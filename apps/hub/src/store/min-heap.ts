/**
 * A binary min-heap: push, peek and pop in O(log n) over an array, ordered by `compare`.
 * @internal
 */
export class MinHeap<T> {
  private items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(items[parent]!, item) <= 0) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(0, last);
    return top;
  }

  /** Replaces the contents with `values` in O(n). */
  replaceAll(values: Iterable<T>): void {
    this.items = [...values];
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.items[i]!);
  }

  private siftDown(start: number, item: T): void {
    const items = this.items;
    const length = items.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= length) break;
      if (child + 1 < length && this.compare(items[child + 1]!, items[child]!) < 0) child++;
      if (this.compare(items[child]!, item) >= 0) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = item;
  }
}
