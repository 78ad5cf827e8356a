import type { Clock } from "@hub/client";

/**
 * Counts the companies (`x-company-id`) seen within a sliding window, for `/health`'s
 * `tenant_context.active_tenants`. Memory is bounded: past `maxTracked` companies the least
 * recently seen is forgotten.
 * @internal
 */
export class ActiveTenants {
  // Insertion order is last-seen order: record() moves a company to the end.
  readonly #lastSeen = new Map<string, number>();
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #maxTracked: number;

  constructor(clock: Clock, windowMs: number, maxTracked = 10_000) {
    this.#clock = clock;
    this.#windowMs = windowMs;
    this.#maxTracked = maxTracked;
  }

  record(companyId: string): void {
    this.#lastSeen.delete(companyId);
    this.#lastSeen.set(companyId, this.#clock.now());
    if (this.#lastSeen.size > this.#maxTracked) {
      const oldest = this.#lastSeen.keys().next();
      if (oldest.done !== true) this.#lastSeen.delete(oldest.value);
    }
  }

  /** Companies seen within the window. */
  count(): number {
    const cutoff = this.#clock.now() - this.#windowMs;
    for (const [companyId, seenAt] of this.#lastSeen) {
      if (seenAt > cutoff) break;
      this.#lastSeen.delete(companyId);
    }
    return this.#lastSeen.size;
  }
}
