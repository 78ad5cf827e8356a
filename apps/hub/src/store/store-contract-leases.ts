import { describe, expect, it } from "vitest";
import type { LeaseStatus } from "./store.js";
import type { ContractContext } from "./store-contract.js";
import { LeaseNotFoundError } from "./store-errors.js";
import { recordWatch } from "./store-recorder.js";

/** The lease part of the store contract. @internal */
export function describeLeaseContract(ctx: ContractContext): void {
  describe("leases", () => {
    it("grants distinct ids and attaches keys to them", async () => {
      const store = await ctx.open();
      const first = await store.grantLease(1000);
      const second = await store.grantLease(1000);
      expect(first).toBeGreaterThan(0);
      expect(second).not.toBe(first);
      await store.put("k", "v", { lease: first });
      expect((await store.get("k"))?.lease).toBe(first);
    });

    it("does not consume a revision to grant or renew", async () => {
      const store = await ctx.open();
      const lease = await store.grantLease(1000);
      await store.keepAlive(lease);
      expect(await store.currentRevision()).toBe(0);
    });

    it("deletes every key of an expired lease at one revision, with delete events", async () => {
      const store = await ctx.open();
      const lease = await store.grantLease(1000);
      await store.put("/i/a", "A", { lease });
      await store.put("/i/b", "B", { lease });
      await store.put("/i/c", "C");
      const watch = recordWatch(store, "/i/");
      ctx.clock().advance(999);
      expect(await store.get("/i/a")).toBeDefined();
      ctx.clock().advance(1);
      expect(await store.get("/i/a")).toBeUndefined();
      expect(await store.get("/i/b")).toBeUndefined();
      expect(await store.get("/i/c")).toBeDefined();
      expect(await store.currentRevision()).toBe(4);
      await watch.untilRevision(4);
      expect(watch.batches).toHaveLength(1);
      const [batch] = watch.batches;
      expect(
        batch?.events.map((event) => [event.type, event.kv.key, event.kv.modRevision, event.prevKv?.value]),
      ).toEqual([
        ["delete", "/i/a", 4, "A"],
        ["delete", "/i/b", 4, "B"],
      ]);
      expect(await store.keepAlive(lease)).toBeUndefined();
    });

    it("extends a lease by a full TTL on each keep-alive", async () => {
      const store = await ctx.open();
      const lease = await store.grantLease(1000);
      await store.put("k", "v", { lease });
      ctx.clock().advance(600);
      expect(await store.keepAlive(lease)).toEqual({ ttlMs: 1000 });
      ctx.clock().advance(600);
      expect(await store.get("k")).toBeDefined();
      expect(await store.keepAlive(lease)).toEqual({ ttlMs: 1000 });
      ctx.clock().advance(999);
      expect(await store.get("k")).toBeDefined();
      ctx.clock().advance(1);
      expect(await store.get("k")).toBeUndefined();
    });

    it("returns undefined when renewing an expired, revoked or unknown lease", async () => {
      const store = await ctx.open();
      const expired = await store.grantLease(100);
      const revoked = await store.grantLease(100_000);
      await store.revokeLease(revoked);
      ctx.clock().advance(100);
      expect(await store.keepAlive(expired)).toBeUndefined();
      expect(await store.keepAlive(revoked)).toBeUndefined();
      expect(await store.keepAlive(987_654)).toBeUndefined();
    });

    it("treats a lease past its expiry as gone even before its timer has run", async () => {
      const store = await ctx.open();
      // Created before the lease's timer, this one fires first at the same instant: the lease is
      // due but its own timer has not run, as when the event loop is late.
      let renewal: Promise<LeaseStatus | undefined> | undefined;
      ctx.clock().setTimeout(() => {
        renewal = store.keepAlive(lease);
      }, 100);
      const lease = await store.grantLease(100);
      await store.put("k", "v", { lease });
      ctx.clock().advance(100);
      expect(await renewal).toBeUndefined();
      expect(await store.get("k")).toBeUndefined();
    });

    it("deletes the keys of a revoked lease with delete events", async () => {
      const store = await ctx.open();
      const lease = await store.grantLease(10_000);
      await store.put("a", "1", { lease });
      await store.put("b", "2", { lease });
      const watch = recordWatch(store, "");
      await store.revokeLease(lease);
      expect((await store.range("")).kvs).toEqual([]);
      await watch.untilRevision(3);
      expect(watch.batches).toHaveLength(1);
      expect(watch.lines()).toEqual(["delete a", "delete b"]);
      expect(await store.keepAlive(lease)).toBeUndefined();
    });

    it("revokes an unknown lease without error or revision", async () => {
      const store = await ctx.open();
      await expect(store.revokeLease(424_242)).resolves.toBeUndefined();
      expect(await store.currentRevision()).toBe(0);
    });

    it("expires a lease without keys without consuming a revision", async () => {
      const store = await ctx.open();
      await store.grantLease(100);
      ctx.clock().advance(100);
      expect(await store.currentRevision()).toBe(0);
      expect(ctx.clock().pendingTimers()).toBe(0);
    });

    it("rejects a put with an unknown or expired lease, changing nothing", async () => {
      const store = await ctx.open();
      await expect(store.put("k", "v", { lease: 12_345 })).rejects.toBeInstanceOf(LeaseNotFoundError);
      const lease = await store.grantLease(100);
      ctx.clock().advance(100);
      await expect(store.put("k", "v", { lease })).rejects.toMatchObject({ lease });
      await expect(
        store.txn({ compare: [], success: [{ type: "put", key: "k", value: "v", lease: 12_345 }] }),
      ).rejects.toBeInstanceOf(LeaseNotFoundError);
      expect(await store.currentRevision()).toBe(0);
      expect(await store.get("k")).toBeUndefined();
    });

    it("detaches a key rewritten without its lease, so it outlives the lease", async () => {
      const store = await ctx.open();
      const lease = await store.grantLease(100);
      await store.put("kept", "1", { lease });
      await store.put("gone", "1", { lease });
      await store.put("kept", "2");
      ctx.clock().advance(100);
      expect(await store.get("kept")).toMatchObject({ value: "2", lease: 0 });
      expect(await store.get("gone")).toBeUndefined();
    });

    it("rejects a TTL that is not a positive integer", async () => {
      const store = await ctx.open();
      await expect(store.grantLease(0)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      await expect(store.grantLease(-5)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    });
  });
}
