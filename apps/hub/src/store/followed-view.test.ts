import { describe, expect, it } from "vitest";
import { FollowedView, type ViewOfPrefix } from "./followed-view.js";
import type { KeyValue, Store, WatchBatch, WatchOptions } from "./store.js";

/** A store with one prefix whose range reads and watch the test drives. */
function fakeStore() {
  let revision = 3;
  const watches: Array<WatchOptions & { closed: boolean }> = [];
  const store = {
    range: async () => ({ kvs: [] as KeyValue[], revision }),
    watch: (_prefix: string, options: WatchOptions) => {
      const watch = { ...options, closed: false };
      watches.push(watch);
      return { close: () => (watch.closed = true) };
    },
  } as unknown as Store;
  return {
    store,
    watches,
    commit(events = 1): WatchBatch {
      revision++;
      return { revision, events: Array.from({ length: events }, () => ({}) as WatchBatch["events"][number]) };
    },
  };
}

/** A view that counts loads and reports each batch's revision as its change. */
function countingView(): ViewOfPrefix<number> & { loads: number[]; revision: number } {
  return {
    revision: 0,
    loads: [],
    load(_kvs, revision) {
      this.loads.push(revision);
      this.revision = revision;
    },
    apply(batch) {
      this.revision = batch.revision;
      return batch.events.length > 0 ? [batch.revision] : [];
    },
  };
}

describe("FollowedView", () => {
  it("loads, then applies each batch, tells listeners and releases writers waiting for it", async () => {
    const { store, watches, commit } = fakeStore();
    const view = countingView();
    const followed = new FollowedView(store, "/p/", view);
    await followed.start();
    expect(view.loads).toEqual([3]);
    expect(watches[0]!.fromRevision).toBe(4);
    const seen: number[][] = [];
    followed.subscribe((changes) => seen.push([...changes]));
    let released = false;
    const waiting = followed.waitFor(4).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    watches[0]!.onEvents(commit());
    await waiting;
    watches[0]!.onEvents(commit(0)); // a batch with nothing for listeners
    expect(seen).toEqual([[4]]);
  });

  it("on a watch error, reports it, loads again and tells listeners to start over", async () => {
    const { store, watches } = fakeStore();
    const view = countingView();
    const errors: Error[] = [];
    const followed = new FollowedView(store, "/p/", view, (error) => errors.push(error));
    await followed.start();
    const seen: number[][] = [];
    followed.subscribe((changes) => seen.push([...changes]));
    watches[0]!.onError!(new Error("compacted"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((e) => e.message)).toEqual(["compacted"]);
    expect(view.loads).toEqual([3, 3]);
    expect(watches[0]!.closed).toBe(true);
    expect(watches).toHaveLength(2);
    expect(seen).toEqual([[]]);
  });

  it("after close, ignores watch errors and releases writers at once", async () => {
    const { store, watches } = fakeStore();
    const view = countingView();
    const followed = new FollowedView(store, "/p/", view, () => {
      throw new Error("must not be called");
    });
    await followed.start();
    const waiting = followed.waitFor(100);
    followed.close();
    await waiting;
    expect(watches[0]!.closed).toBe(true);
    watches[0]!.onError!(new Error("closed"));
    await expect(followed.waitFor(200)).resolves.toBeUndefined();
    expect(view.loads).toEqual([3]);
  });
});
