import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import type { KeyValue } from "./store.js";
import { StoreEngine } from "./store-engine.js";
import { StoreClosedError } from "./store-errors.js";
import { recordWatch } from "./store-recorder.js";
import type { StoreSink } from "./store-sink.js";

/** A sink whose next sync fails once `failNext` is set, recording what reached it. */
class ScriptedSink implements StoreSink {
  readonly puts: KeyValue[] = [];
  failNext: Error | undefined;
  private failed: Error | undefined;
  recordPut(kv: KeyValue): void {
    this.puts.push(kv);
  }
  recordDelete(): void {}
  recordLease(): void {}
  recordLeaseRemoved(): void {}
  recordRevision(): void {}
  async sync(): Promise<void> {
    this.failed ??= this.failNext;
    if (this.failed !== undefined) throw this.failed;
  }
  async close(): Promise<void> {}
}

function engineWith(sink: StoreSink): StoreEngine {
  return new StoreEngine({ clock: new FakeClock(), historyLimit: 100, sink, snapshot: undefined });
}

describe("StoreEngine with a sink", () => {
  it("publishes a write to watchers only after the sink has made it durable", async () => {
    const sink = new ScriptedSink();
    const store = engineWith(sink);
    const watch = recordWatch(store, "");
    await store.put("a", "1");
    await watch.untilRevision(1);
    expect(sink.puts.map((kv) => kv.key)).toEqual(["a"]);
    await store.close();
  });

  it("stops after a failed persist: the write rejects, later calls and watches fail", async () => {
    const sink = new ScriptedSink();
    const store = engineWith(sink);
    await store.put("a", "1");
    const watch = recordWatch(store, "");
    const diskFull = new Error("disk full");
    sink.failNext = diskFull;
    await expect(store.put("a", "2")).rejects.toBe(diskFull);
    await expect(store.get("a")).rejects.toMatchObject({ name: "StoreClosedError", cause: diskFull });
    await watch.until((r) => r.errors.length > 0);
    expect(watch.batches).toEqual([]);
    expect(watch.errors[0]).toBeInstanceOf(StoreClosedError);
    await store.close();
  });

  it("restores keys, leases and the revision from a snapshot", async () => {
    const clock = new FakeClock();
    const kv: KeyValue = { key: "k", value: "v", createRevision: 3, modRevision: 7, version: 2, lease: 5 };
    const orphan: KeyValue = {
      key: "o",
      value: "v",
      createRevision: 8,
      modRevision: 8,
      version: 1,
      lease: 6,
    };
    const store = new StoreEngine({
      clock,
      historyLimit: 100,
      sink: undefined,
      snapshot: { revision: 8, kvs: [kv, orphan], leases: [{ id: 5, ttlMs: 1000 }], nextLeaseId: 7 },
    });
    expect(await store.get("k")).toEqual(kv);
    // A key whose lease is gone dies at open, as it would have when the lease ended.
    expect(await store.get("o")).toBeUndefined();
    expect(await store.currentRevision()).toBe(9);
    expect(await store.grantLease(1000)).toBe(7);
    clock.advance(1000);
    expect(await store.get("k")).toBeUndefined();
    await store.close();
  });
});
