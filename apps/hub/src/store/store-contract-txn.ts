import { describe, expect, it } from "vitest";
import type { Compare, Store } from "./store.js";
import type { ContractContext } from "./store-contract.js";
import { recordWatch } from "./store-recorder.js";

/** The txn part of the store contract. @internal */
export function describeTxnContract(ctx: ContractContext): void {
  describe("txn", () => {
    // Store state for these cases: "a" created at 1, rewritten at 3 (version 2); "b" at 2.
    async function seeded(): Promise<Store> {
      const store = await ctx.open();
      await store.put("a", "one");
      await store.put("b", "bee");
      await store.put("a", "two");
      return store;
    }

    it.each<[string, Compare, boolean]>([
      ["version ==", { key: "a", target: "version", op: "==", value: 2 }, true],
      ["version == (stale)", { key: "a", target: "version", op: "==", value: 1 }, false],
      ["version !=", { key: "a", target: "version", op: "!=", value: 1 }, true],
      ["version >", { key: "a", target: "version", op: ">", value: 1 }, true],
      ["version <", { key: "a", target: "version", op: "<", value: 2 }, false],
      ["modRevision ==", { key: "a", target: "modRevision", op: "==", value: 3 }, true],
      ["modRevision == (stale)", { key: "a", target: "modRevision", op: "==", value: 1 }, false],
      ["modRevision <", { key: "b", target: "modRevision", op: "<", value: 3 }, true],
      ["createRevision ==", { key: "a", target: "createRevision", op: "==", value: 1 }, true],
      ["createRevision >", { key: "b", target: "createRevision", op: ">", value: 2 }, false],
      ["value ==", { key: "a", target: "value", op: "==", value: "two" }, true],
      ["value == (stale)", { key: "a", target: "value", op: "==", value: "one" }, false],
      ["value !=", { key: "a", target: "value", op: "!=", value: "one" }, true],
      ["missing version == 0", { key: "zz", target: "version", op: "==", value: 0 }, true],
      ["missing createRevision == 0", { key: "zz", target: "createRevision", op: "==", value: 0 }, true],
      ["missing modRevision > 0", { key: "zz", target: "modRevision", op: ">", value: 0 }, false],
      ["missing value == x", { key: "zz", target: "value", op: "==", value: "" }, false],
      ["missing value != x", { key: "zz", target: "value", op: "!=", value: "x" }, true],
    ])("evaluates %s", async (_name, compare, holds) => {
      const store = await seeded();
      const result = await store.txn({
        compare: [compare],
        success: [{ type: "put", key: "outcome", value: "success" }],
        failure: [{ type: "put", key: "outcome", value: "failure" }],
      });
      expect(result).toEqual({ succeeded: holds, revision: 4 });
      expect((await store.get("outcome"))?.value).toBe(holds ? "success" : "failure");
    });

    it("requires every comparison to hold", async () => {
      const store = await seeded();
      const result = await store.txn({
        compare: [
          { key: "a", target: "version", op: "==", value: 2 },
          { key: "b", target: "value", op: "==", value: "nope" },
        ],
        success: [{ type: "delete", key: "a" }],
      });
      expect(result).toEqual({ succeeded: false, revision: 3 });
      expect(await store.get("a")).toBeDefined();
    });

    it("applies every op of the branch at one revision", async () => {
      const store = await seeded();
      const watch = recordWatch(store, "");
      const result = await store.txn({
        compare: [],
        success: [
          { type: "put", key: "c", value: "see" },
          { type: "put", key: "a", value: "three" },
          { type: "delete", key: "b" },
        ],
      });
      expect(result).toEqual({ succeeded: true, revision: 4 });
      expect(await store.get("c")).toMatchObject({ createRevision: 4, modRevision: 4, version: 1 });
      expect(await store.get("a")).toMatchObject({ createRevision: 1, modRevision: 4, version: 3 });
      expect(await store.get("b")).toBeUndefined();
      await watch.untilRevision(4);
      expect(watch.batches).toHaveLength(1);
      expect(watch.lines()).toEqual(["put c=see", "put a=three", "delete b"]);
    });

    it("consumes no revision when the chosen branch writes nothing", async () => {
      const store = await seeded();
      const failed = await store.txn({
        compare: [{ key: "a", target: "value", op: "==", value: "nope" }],
        success: [{ type: "put", key: "x", value: "1" }],
      });
      expect(failed).toEqual({ succeeded: false, revision: 3 });
      const noop = await store.txn({ compare: [], success: [{ type: "delete", key: "missing" }] });
      expect(noop).toEqual({ succeeded: true, revision: 3 });
      expect(await store.currentRevision()).toBe(3);
    });

    it("deletes a prefix at one revision, leaving other keys", async () => {
      const store = await ctx.open();
      for (const key of ["/a/1", "/a/2", "/a/3/x", "/ab", "/b"]) await store.put(key, "v");
      const watch = recordWatch(store, "");
      expect(await store.txn({ compare: [], success: [{ type: "deletePrefix", prefix: "/a/" }] })).toEqual({
        succeeded: true,
        revision: 6,
      });
      expect((await store.range("")).kvs.map((kv) => kv.key)).toEqual(["/ab", "/b"]);
      await watch.untilRevision(6);
      expect(watch.batches).toEqual([{ revision: 6, events: expect.any(Array) }]);
      expect(watch.lines()).toEqual(["delete /a/1", "delete /a/2", "delete /a/3/x"]);
      const none = await store.txn({ compare: [], success: [{ type: "deletePrefix", prefix: "/a/" }] });
      expect(none.revision).toBe(6);
    });

    it("lets exactly one of two racing create-if-absent txns win", async () => {
      const store = await ctx.open();
      const claim = (owner: string) =>
        store.txn({
          compare: [{ key: "/leader", target: "createRevision", op: "==", value: 0 }],
          success: [{ type: "put", key: "/leader", value: owner }],
        });
      const results = await Promise.all([claim("a"), claim("b")]);
      expect(results.map((result) => result.succeeded)).toEqual([true, false]);
      expect((await store.get("/leader"))?.value).toBe("a");
    });

    it.each([
      [
        "a key put twice",
        [
          { type: "put", key: "k", value: "1" },
          { type: "put", key: "k", value: "2" },
        ],
      ],
      [
        "a key put and deleted",
        [
          { type: "delete", key: "k" },
          { type: "put", key: "k", value: "1" },
        ],
      ],
      [
        "a put under a deleted prefix",
        [
          { type: "deletePrefix", prefix: "/p/" },
          { type: "put", key: "/p/k", value: "1" },
        ],
      ],
    ] as const)("rejects %s in one branch, changing nothing", async (_name, ops) => {
      const store = await ctx.open();
      await expect(store.txn({ compare: [], success: [], failure: ops })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
      });
      expect(await store.currentRevision()).toBe(0);
    });
  });
}
