import type { Clock, TimerHandle } from "../clock.js";
import type { LeaseId } from "./store.js";

/** A granted lease and the keys attached to it. @internal */
export interface Lease {
  readonly id: LeaseId;
  readonly ttlMs: number;
  expiresAt: number;
  readonly keys: Set<string>;
  timer: TimerHandle | undefined;
}

/**
 * The live leases and their expiry timers. A keep-alive only moves `expiresAt`; the pending timer
 * notices on firing and re-arms for the remainder, so renewing thousands of leases per second
 * never churns timers.
 * @internal
 */
export class LeaseTable {
  private readonly leases = new Map<LeaseId, Lease>();

  /** `onExpire` runs (from a clock timer) when a lease's time is up; it must remove the lease. */
  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (id: LeaseId) => void,
  ) {}

  get size(): number {
    return this.leases.size;
  }

  /** Adds a lease expiring `ttlMs` from now. */
  grant(id: LeaseId, ttlMs: number): Lease {
    const lease: Lease = {
      id,
      ttlMs,
      expiresAt: this.clock.now() + ttlMs,
      keys: new Set(),
      timer: undefined,
    };
    this.leases.set(id, lease);
    this.arm(lease);
    return lease;
  }

  /** The lease, even one past its expiry whose timer has not run yet (see {@link isDue}). */
  get(id: LeaseId): Lease | undefined {
    return this.leases.get(id);
  }

  /** True when the lease's time is up, whether or not its timer has fired. */
  isDue(lease: Lease): boolean {
    return lease.expiresAt <= this.clock.now();
  }

  /** Restarts the lease's full TTL from now. */
  renew(lease: Lease): void {
    lease.expiresAt = this.clock.now() + lease.ttlMs;
  }

  /** Removes a lease and its timer; returns it, or undefined when unknown. */
  remove(id: LeaseId): Lease | undefined {
    const lease = this.leases.get(id);
    if (lease === undefined) return undefined;
    this.leases.delete(id);
    if (lease.timer !== undefined) this.clock.clearTimeout(lease.timer);
    lease.timer = undefined;
    return lease;
  }

  /** Moves `key` from one lease to another (0: none). */
  move(key: string, from: LeaseId, to: LeaseId): void {
    if (from === to) return;
    if (from !== 0) this.leases.get(from)?.keys.delete(key);
    if (to !== 0) this.leases.get(to)?.keys.add(key);
  }

  /** Every live lease, for persistence snapshots and tests. */
  values(): IterableIterator<Lease> {
    return this.leases.values();
  }

  /** Stops every timer (the store is closing); leases stay in the table. */
  stopTimers(): void {
    for (const lease of this.leases.values()) {
      if (lease.timer !== undefined) this.clock.clearTimeout(lease.timer);
      lease.timer = undefined;
    }
  }

  private arm(lease: Lease): void {
    lease.timer = this.clock.setTimeout(() => {
      lease.timer = undefined;
      if (this.leases.get(lease.id) !== lease) return;
      if (this.isDue(lease)) this.onExpire(lease.id);
      else this.arm(lease);
    }, lease.expiresAt - this.clock.now());
  }
}
