import { afterEach, describe, expect, it } from "vitest";
import { HubError } from "../errors/hub-error.js";
import { FakeClock } from "../testing/fake-clock.js";
import type { Store } from "./store.js";
import { describeLeaseContract } from "./store-contract-leases.js";
import { describeTxnContract } from "./store-contract-txn.js";
import { describeWatchContract } from "./store-contract-watch.js";
import { StoreClosedError } from "./store-errors.js";
import { recordWatch } from "./store-recorder.js";

/** What a backend under test is opened with. @internal */
export interface StoreFactoryOptions {
  readonly clock: FakeClock;
  readonly historyLimit?: number;
}

/** Opens a fresh, empty store. @internal */
export type StoreFactory = (options: StoreFactoryOptions) => Store | Promise<Store>;

/** What each part of the contract suite gets from {@link describeStoreContract}. @internal */
export interface ContractContext {
  /** Opens a fresh store on a fresh {@link FakeClock}; it is closed after the test. */
  open(historyLimit?: number): Promise<Store>;
  /** The clock of the store opened last. */
  clock(): FakeClock;
}

/**
 * The behaviour every {@link Store} backend must share, as one vitest suite: keys, txn, leases,
 * watch and close. Call it from each backend's test file; stores it opens are closed after each test.
 * @internal
 */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} store contract`, () => {
    const opened: Store[] = [];
    let clock = new FakeClock();

    async function open(historyLimit?: number): Promise<Store> {
      clock = new FakeClock();
      const store = await factory(historyLimit === undefined ? { clock } : { clock, historyLimit });
      opened.push(store);
      return store;
    }
    const ctx: ContractContext = { open, clock: () => clock };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe("get, range, put, delete", () => {
      it("starts empty at revision 0", async () => {
        const store = await open();
        expect(await store.currentRevision()).toBe(0);
        expect(await store.get("a")).toBeUndefined();
        expect(await store.range("")).toEqual({ kvs: [], revision: 0 });
      });

      it("stores a value with its revisions, version and lease", async () => {
        const store = await open();
        expect(await store.put("a", "1")).toEqual({ revision: 1 });
        expect(await store.get("a")).toEqual({
          key: "a",
          value: "1",
          createRevision: 1,
          modRevision: 1,
          version: 1,
          lease: 0,
        });
      });

      it("keeps createRevision and counts versions across overwrites", async () => {
        const store = await open();
        await store.put("a", "1");
        await store.put("b", "x");
        await store.put("a", "2");
        expect(await store.put("a", "3")).toEqual({ revision: 4 });
        expect(await store.get("a")).toMatchObject({
          value: "3",
          createRevision: 1,
          modRevision: 4,
          version: 3,
        });
      });

      it("consumes exactly one revision per write", async () => {
        const store = await open();
        for (let i = 1; i <= 5; i++) {
          expect(await store.put(`k${i}`, "v")).toEqual({ revision: i });
          expect(await store.currentRevision()).toBe(i);
        }
      });

      it("ranges over a prefix, sorted by key, with the revision it reflects", async () => {
        const store = await open();
        for (const key of ["/svc/b", "/svc/a", "/svcx", "/other", "/svc/a/1"]) await store.put(key, key);
        const result = await store.range("/svc/");
        expect(result.kvs.map((kv) => kv.key)).toEqual(["/svc/a", "/svc/a/1", "/svc/b"]);
        expect(result.revision).toBe(5);
        expect((await store.range("")).kvs).toHaveLength(5);
        expect((await store.range("/none")).kvs).toEqual([]);
      });

      it("deletes a key at a new revision and reports what it deleted", async () => {
        const store = await open();
        await store.put("a", "1");
        expect(await store.delete("a")).toEqual({ revision: 2, deleted: 1 });
        expect(await store.get("a")).toBeUndefined();
        expect((await store.range("")).kvs).toEqual([]);
      });

      it("does not consume a revision when deleting a missing key", async () => {
        const store = await open();
        await store.put("a", "1");
        expect(await store.delete("missing")).toEqual({ revision: 1, deleted: 0 });
        expect(await store.currentRevision()).toBe(1);
      });

      it("restarts version and createRevision when a deleted key is created again", async () => {
        const store = await open();
        await store.put("a", "1");
        await store.put("a", "2");
        await store.delete("a");
        await store.put("a", "3");
        expect(await store.get("a")).toMatchObject({ createRevision: 4, modRevision: 4, version: 1 });
      });

      it("rejects an empty key", async () => {
        const store = await open();
        await expect(store.put("", "v")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
        await expect(store.delete("")).rejects.toBeInstanceOf(HubError);
      });
    });

    describeTxnContract(ctx);
    describeLeaseContract(ctx);
    describeWatchContract(ctx);

    describe("close", () => {
      it("rejects operations and new watches once closed", async () => {
        const store = await open();
        await store.put("a", "1");
        await store.close();
        await expect(store.get("a")).rejects.toBeInstanceOf(StoreClosedError);
        await expect(store.put("a", "2")).rejects.toBeInstanceOf(StoreClosedError);
        const watch = recordWatch(store, "");
        await watch.until((r) => r.errors.length > 0);
        expect(watch.errors[0]).toBeInstanceOf(StoreClosedError);
        await expect(store.close()).resolves.toBeUndefined();
      });

      it("stops lease timers", async () => {
        const store = await open();
        await store.grantLease(1000);
        await store.close();
        expect(clock.pendingTimers()).toBe(0);
      });
    });
  });
}
