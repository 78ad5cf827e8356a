import { describe, expect, it } from "vitest";
import { MinHeap } from "./min-heap.js";

describe("MinHeap", () => {
  it("pops in ascending order whatever the push order, duplicates included", () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    const values = [5, 3, 9, 1, 5, 7, 2, 8, 0, 6, 4, 1];
    for (const v of values) heap.push(v);
    expect(heap.size).toBe(values.length);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop()!);
    expect(popped).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
  });

  it("rebuilds from a list and keeps ordering pushes after that", () => {
    const heap = new MinHeap<{ at: number }>((a, b) => a.at - b.at);
    heap.replaceAll([40, 10, 30, 20].map((at) => ({ at })));
    heap.push({ at: 15 });
    const order: number[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) order.push(item.at);
    expect(order).toEqual([10, 15, 20, 30, 40]);
  });
});
