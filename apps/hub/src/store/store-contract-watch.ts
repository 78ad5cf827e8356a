import { describe, expect, it } from "vitest";
import { CompactedError } from "./store.js";
import type { ContractContext } from "./store-contract.js";
import { recordWatch } from "./store-recorder.js";

/** The watch part of the store contract. @internal */
export function describeWatchContract(ctx: ContractContext): void {
  describe("watch", () => {
    it("delivers live puts and deletes with their previous values", async () => {
      const store = await ctx.open();
      await store.put("a", "before");
      const watch = recordWatch(store, "");
      await store.put("a", "after");
      await store.delete("a");
      await watch.untilRevision(3);
      expect(watch.batches.map((batch) => batch.revision)).toEqual([2, 3]);
      const [put, del] = watch.batches.flatMap((batch) => batch.events);
      expect(put).toMatchObject({
        type: "put",
        kv: { value: "after", version: 2 },
        prevKv: { value: "before" },
      });
      expect(del).toMatchObject({
        type: "delete",
        kv: { key: "a", value: "", modRevision: 3 },
        prevKv: { value: "after", modRevision: 2 },
      });
    });

    it("gives a first put no previous value", async () => {
      const store = await ctx.open();
      const watch = recordWatch(store, "");
      await store.put("a", "1");
      await watch.untilRevision(1);
      expect(watch.batches[0]?.events[0]?.prevKv).toBeUndefined();
    });

    it("replays from a revision, then follows live without gaps or repeats", async () => {
      const store = await ctx.open();
      for (let i = 1; i <= 5; i++) await store.put(`k${i}`, `${i}`);
      const watch = recordWatch(store, "", 3);
      await store.put("k6", "6");
      await watch.untilRevision(6);
      expect(watch.batches.map((batch) => batch.revision)).toEqual([3, 4, 5, 6]);
      expect(watch.lines()).toEqual(["put k3=3", "put k4=4", "put k5=5", "put k6=6"]);
    });

    it("waits for a future fromRevision", async () => {
      const store = await ctx.open();
      const watch = recordWatch(store, "", 3);
      for (let i = 1; i <= 4; i++) await store.put(`k${i}`, "v");
      await watch.untilRevision(4);
      expect(watch.batches.map((batch) => batch.revision)).toEqual([3, 4]);
    });

    it("delivers only events under its prefix, trimming mixed batches", async () => {
      const store = await ctx.open();
      const watch = recordWatch(store, "/svc/");
      await store.put("/other", "x");
      await store.put("/svc/a", "1");
      await store.txn({
        compare: [],
        success: [
          { type: "put", key: "/svc/b", value: "2" },
          { type: "put", key: "/elsewhere", value: "3" },
        ],
      });
      await store.put("/svc", "not under the prefix");
      await store.put("/svc/c", "4");
      await watch.untilRevision(5);
      expect(watch.batches.map((batch) => batch.revision)).toEqual([2, 3, 5]);
      expect(watch.lines()).toEqual(["put /svc/a=1", "put /svc/b=2", "put /svc/c=4"]);
    });

    it("keeps revision order across many concurrent writes", async () => {
      const store = await ctx.open();
      const watch = recordWatch(store, "");
      const writes = 2000;
      const results = await Promise.all(
        Array.from({ length: writes }, (_, i) => store.put(`/k/${i % 37}`, String(i))),
      );
      expect(results.map((result) => result.revision)).toEqual(
        Array.from({ length: writes }, (_, i) => i + 1),
      );
      await watch.untilRevision(writes);
      expect(watch.batches.map((batch) => batch.revision)).toEqual(
        Array.from({ length: writes }, (_, i) => i + 1),
      );
      expect(watch.batches.map((batch) => batch.events[0]?.kv.value)).toEqual(
        Array.from({ length: writes }, (_, i) => String(i)),
      );
    });

    it("raises CompactedError for a revision older than the history", async () => {
      const store = await ctx.open(5);
      for (let i = 1; i <= 10; i++) await store.put("k", `${i}`);
      const compacted = recordWatch(store, "", 5);
      await compacted.until((r) => r.errors.length > 0);
      expect(compacted.batches).toEqual([]);
      expect(compacted.errors[0]).toBeInstanceOf(CompactedError);
      expect(compacted.errors[0]).toMatchObject({ requestedRevision: 5, compactRevision: 6 });

      const oldest = recordWatch(store, "", 6);
      await oldest.untilRevision(10);
      expect(oldest.batches.map((batch) => batch.revision)).toEqual([6, 7, 8, 9, 10]);
      expect(oldest.errors).toEqual([]);
    });

    it("never drops live events, even past the history limit", async () => {
      const store = await ctx.open(5);
      const watch = recordWatch(store, "");
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.put("k", `${i}`)));
      await watch.untilRevision(50);
      expect(watch.batches).toHaveLength(50);
    });

    it("stops delivering once closed", async () => {
      const store = await ctx.open();
      const closed = recordWatch(store, "");
      const open_ = recordWatch(store, "");
      await store.put("a", "1");
      await closed.untilRevision(1);
      closed.watch.close();
      await store.put("a", "2");
      await open_.untilRevision(2);
      expect(closed.batches.map((batch) => batch.revision)).toEqual([1]);
    });

    it("drops batches already queued when closed before delivery", async () => {
      const store = await ctx.open();
      const closed = recordWatch(store, "", 1);
      const open_ = recordWatch(store, "", 1);
      const written = store.put("a", "1");
      closed.watch.close();
      await written;
      await open_.untilRevision(1);
      expect(closed.batches).toEqual([]);
    });

    it("closes a watch whose listener throws and reports the error", async () => {
      const store = await ctx.open();
      const errors: Error[] = [];
      let calls = 0;
      store.watch("", {
        fromRevision: 0,
        onEvents: () => {
          calls++;
          throw new Error("listener bug");
        },
        onError: (error) => errors.push(error),
      });
      const witness = recordWatch(store, "");
      await store.put("a", "1");
      await store.put("a", "2");
      await witness.untilRevision(2);
      expect(calls).toBe(1);
      expect(errors.map((error) => error.message)).toEqual(["listener bug"]);
    });
  });
}
