import type { KeyValue } from "./store.js";

/** Up to this many pending creations/deletions are spliced into the index; more are merged. */
const spliceLimit = 16;

/**
 * The live keys of a store: a map for point reads plus a sorted key index for prefix ranges.
 *
 * Overwrites (the common case: heartbeats, status changes) never touch the index. Creations and
 * deletions are noted and folded in by the next range: a few by splicing, a burst by one linear
 * merge, since splicing each of 100k new keys into a large array costs seconds.
 *
 * Keys sort by UTF-16 code unit (JavaScript's `<`), which matches etcd's byte order for every
 * key without characters outside the Basic Multilingual Plane.
 * @internal
 */
export class KeySpace {
  private readonly byKey = new Map<string, KeyValue>();
  /** Sorted keys as of the last refresh. */
  private sorted: string[];
  /** Keys created since the last refresh (not in `sorted`). */
  private readonly added = new Set<string>();
  /** Keys deleted since the last refresh (still in `sorted`). */
  private readonly removed = new Set<string>();

  constructor(initial: Iterable<KeyValue> = []) {
    this.sorted = [];
    // One map operation per key (a restart brings 200k of them); duplicates, which persisted
    // keys never have, cost a second pass.
    for (const kv of initial) {
      this.byKey.set(kv.key, kv);
      this.sorted.push(kv.key);
    }
    if (this.sorted.length !== this.byKey.size) this.sorted = [...this.byKey.keys()];
    // Persisted keys usually arrive in order already; a check is much cheaper than a sort.
    if (!isSorted(this.sorted)) this.sorted.sort();
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): KeyValue | undefined {
    return this.byKey.get(key);
  }

  /** Inserts or replaces `kv` under its key. */
  set(kv: KeyValue): void {
    if (!this.byKey.has(kv.key)) {
      // A key deleted and re-created since the last refresh is still in the index.
      if (!this.removed.delete(kv.key)) this.added.add(kv.key);
    }
    this.byKey.set(kv.key, kv);
  }

  /** Removes a key; returns its last value, or undefined when it did not exist. */
  remove(key: string): KeyValue | undefined {
    const kv = this.byKey.get(key);
    if (kv === undefined) return undefined;
    this.byKey.delete(key);
    if (!this.added.delete(key)) this.removed.add(key);
    return kv;
  }

  /** Every key starting with `prefix`, in key order. */
  keysWithPrefix(prefix: string): string[] {
    this.refresh();
    const keys: string[] = [];
    for (let i = lowerBound(this.sorted, prefix); i < this.sorted.length; i++) {
      const key = this.sorted[i]!;
      if (!key.startsWith(prefix)) break;
      keys.push(key);
    }
    return keys;
  }

  /** Every value whose key starts with `prefix`, in key order. */
  range(prefix: string): KeyValue[] {
    return this.keysWithPrefix(prefix).map((key) => this.byKey.get(key)!);
  }

  /** Every value, in no particular order. */
  values(): IterableIterator<KeyValue> {
    return this.byKey.values();
  }

  /** Folds pending creations and deletions into the sorted index. */
  private refresh(): void {
    const pending = this.added.size + this.removed.size;
    if (pending === 0) return;
    if (pending <= spliceLimit) {
      for (const key of this.removed) this.sorted.splice(lowerBound(this.sorted, key), 1);
      for (const key of this.added) this.sorted.splice(lowerBound(this.sorted, key), 0, key);
    } else {
      this.sorted = mergeSorted(this.sorted, this.removed, [...this.added].sort());
    }
    this.added.clear();
    this.removed.clear();
  }
}

/** `kept` minus `removed`, merged with the sorted `additions`. */
function mergeSorted(
  kept: readonly string[],
  removed: ReadonlySet<string>,
  additions: readonly string[],
): string[] {
  const merged: string[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length || j < additions.length) {
    if (j === additions.length || (i < kept.length && kept[i]! < additions[j]!)) {
      const key = kept[i++]!;
      if (!removed.has(key)) merged.push(key);
    } else merged.push(additions[j++]!);
  }
  return merged;
}

/** Index of the first key >= `key` in the sorted `keys`. */
function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}
