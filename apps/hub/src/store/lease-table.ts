import type { Clock, TimerHandle } from "../clock.js";
import { MinHeap } from "./min-heap.js";
import type { LeaseId } from "./store.js";

/**
 * The keys attached to a lease. Almost every lease holds one key (or two), so one key is kept as
 * the string itself, a few as an array, and a Set only past that: 100k leases then cost no
 * 100k arrays.
 */
type LeaseKeys = string | readonly string[] | Set<string>;

const noKeys: readonly string[] = Object.freeze([]);

/** A granted lease and the keys attached to it. @internal */
export interface Lease {
  readonly id: LeaseId;
  readonly ttlMs: number;
  /**
   * Times are whole milliseconds since the table's epoch, not since 1970: small integers are
   * stored in the object itself, where a Unix timestamp costs a separate 16-byte number per field
   * (for the first 24 days of a table; past 2^31 ms they are boxed again, which costs only memory).
   */
  expiresAt: number;
  keys: LeaseKeys;
  /** When the expiry queue will next look at this lease; at or before `expiresAt`. */
  filedAt: number;
}

/**
 * The live leases and when they expire. One clock timer serves them all: leases wait in a queue
 * ordered by the time they were filed under, and a keep-alive only moves `expiresAt`; when a lease
 * reaches the head of the queue it expires if it is due, else it is filed again for the
 * remainder. So renewing thousands of leases per second never touches a timer, and 100k leases
 * cost 100k queue slots, not 100k timers.
 * @internal
 */
export class LeaseTable {
  private readonly leases = new Map<LeaseId, Lease>();
  private readonly queue = new MinHeap<Lease>((a, b) => a.filedAt - b.filedAt);
  /** Queue entries whose lease was removed; the queue is rebuilt when they outnumber live ones. */
  private removedInQueue = 0;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  private readonly epoch: number;

  /** `onExpire` runs (from a clock timer) when a lease's time is up; it must remove the lease. */
  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (id: LeaseId) => void,
  ) {
    this.epoch = clock.now();
  }

  get size(): number {
    return this.leases.size;
  }

  /** Adds a lease expiring `ttlMs` from now. */
  grant(id: LeaseId, ttlMs: number): Lease {
    const expiresAt = this.now() + ttlMs;
    const lease: Lease = { id, ttlMs, expiresAt, keys: noKeys, filedAt: expiresAt };
    this.leases.set(id, lease);
    this.queue.push(lease);
    this.armFor(expiresAt);
    return lease;
  }

  /** The lease, even one past its expiry whose timer has not run yet (see {@link isDue}). */
  get(id: LeaseId): Lease | undefined {
    return this.leases.get(id);
  }

  /** True when the lease's time is up, whether or not its timer has fired. */
  isDue(lease: Lease): boolean {
    return lease.expiresAt <= this.now();
  }

  /** Restarts the lease's full TTL from now. */
  renew(lease: Lease): void {
    lease.expiresAt = this.now() + lease.ttlMs;
  }

  /** Removes a lease; returns it, or undefined when unknown. */
  remove(id: LeaseId): Lease | undefined {
    const lease = this.leases.get(id);
    if (lease === undefined) return undefined;
    this.leases.delete(id);
    this.removedInQueue++;
    if (this.removedInQueue > 1024 && this.removedInQueue > this.leases.size) this.rebuildQueue();
    return lease;
  }

  /** Moves `key` from one lease to another (0: none). */
  move(key: string, from: LeaseId, to: LeaseId): void {
    if (from === to) return;
    const source = from === 0 ? undefined : this.leases.get(from);
    if (source !== undefined) removeKey(source, key);
    const target = to === 0 ? undefined : this.leases.get(to);
    if (target !== undefined) addKey(target, key);
  }

  /** The keys attached to a lease, as a new array. */
  keysOf(lease: Lease): string[] {
    return typeof lease.keys === "string" ? [lease.keys] : [...lease.keys];
  }

  /** Every live lease, for persistence snapshots and tests. */
  values(): IterableIterator<Lease> {
    return this.leases.values();
  }

  /** Stops the timer (the store is closing); leases stay in the table. */
  stopTimers(): void {
    this.stopped = true;
    this.disarm();
  }

  /** Expires every due lease at the head of the queue and files renewed ones again. */
  private runDue(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (let head = this.queue.peek(); head !== undefined && head.filedAt <= now; head = this.queue.peek()) {
      this.queue.pop();
      if (this.leases.get(head.id) !== head) {
        this.removedInQueue--;
      } else if (head.expiresAt <= now) {
        this.removedInQueue--; // popped already: offsets the count onExpire's remove() adds
        this.onExpire(head.id);
      } else {
        head.filedAt = head.expiresAt;
        this.queue.push(head);
      }
    }
    const next = this.queue.peek();
    if (next !== undefined) this.armFor(next.filedAt);
  }

  /** Makes sure the timer fires no later than `at`. */
  private armFor(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    this.disarm();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.runDue(), at - this.now());
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Whole milliseconds since the epoch. A difference of two Date.now() values is an integer but
   * still a boxed double to V8, and storing one makes the field (of every lease) a boxed double;
   * Math.floor hands back a small integer, which V8 keeps inside the lease itself.
   */
  private now(): number {
    return Math.floor(this.clock.now() - this.epoch);
  }

  /** Drops removed leases from the queue. */
  private rebuildQueue(): void {
    this.queue.replaceAll(this.leases.values());
    this.removedInQueue = 0;
  }
}

/** Past this many keys a lease's keys move from an array to a Set, so removals stay O(1). */
const arrayKeysLimit = 8;

function addKey(lease: Lease, key: string): void {
  const keys = lease.keys;
  if (keys instanceof Set) keys.add(key);
  else if (typeof keys === "string") {
    if (keys !== key) lease.keys = [keys, key];
  } else if (keys.length === 0) lease.keys = key;
  else if (!keys.includes(key)) {
    // A fresh exact-size array (concat): push() and spread reserve 17 slots for a few keys.
    lease.keys = keys.length < arrayKeysLimit ? keys.concat(key) : new Set(keys).add(key);
  }
}

function removeKey(lease: Lease, key: string): void {
  const keys = lease.keys;
  if (keys instanceof Set) keys.delete(key);
  else if (typeof keys === "string") {
    if (keys === key) lease.keys = noKeys;
  } else {
    const at = keys.indexOf(key);
    if (at < 0) return;
    const rest = keys.slice(0, at).concat(keys.slice(at + 1));
    lease.keys = rest.length === 1 ? rest[0]! : rest;
  }
}
