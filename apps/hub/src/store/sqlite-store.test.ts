import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { createSqliteStore, type SqliteStore } from "./sqlite-store.js";
import { CompactedError } from "./store.js";
import { describeStoreContract } from "./store-contract.js";
import { recordWatch } from "./store-recorder.js";

let dir: string;
const opened: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hub-sqlite-store-"));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

function open(clock: FakeClock, historyLimit?: number): SqliteStore {
  const path = join(dir, "data", "hub.db");
  const store = createSqliteStore(
    historyLimit === undefined ? { path, clock } : { path, clock, historyLimit },
  );
  opened.push(store);
  return store;
}

describeStoreContract("sqlite", ({ clock, historyLimit }) => open(clock, historyLimit));

describe("createSqliteStore", () => {
  it("keeps keys, versions, leases and the revision across a reopen", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    const lease = await first.grantLease(60_000);
    await first.put("/a", "1");
    await first.put("/a", "2");
    await first.put("/b", "x", { lease });
    await first.put("/gone", "x");
    await first.delete("/gone");
    await first.close();

    const second = open(clock);
    expect(await second.currentRevision()).toBe(5);
    expect((await second.range("")).kvs).toEqual([
      { key: "/a", value: "2", createRevision: 1, modRevision: 2, version: 2, lease: 0 },
      { key: "/b", value: "x", createRevision: 3, modRevision: 3, version: 1, lease },
    ]);
    expect(await second.keepAlive(lease)).toEqual({ ttlMs: 60_000 });
    // The deletion's revision is remembered too: the counter never goes back.
    expect(await second.put("/c", "y")).toEqual({ revision: 6 });
  });

  it("gives every lease one full TTL of grace from the reopen", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    const lease = await first.grantLease(1000);
    await first.put("/i/a", "up", { lease });
    clock.advance(900);
    await first.close();

    const second = open(clock);
    const watch = recordWatch(second, "/i/");
    clock.advance(999);
    expect(await second.get("/i/a")).toBeDefined();
    clock.advance(1);
    expect(await second.get("/i/a")).toBeUndefined();
    await watch.untilRevision(2);
    expect(watch.lines()).toEqual(["delete /i/a"]);
  });

  it("persists lease expiry and revocation", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    const expiring = await first.grantLease(100);
    const revoked = await first.grantLease(100_000);
    await first.put("/e", "1", { lease: expiring });
    await first.put("/r", "1", { lease: revoked });
    await first.revokeLease(revoked);
    clock.advance(100);
    await first.close();

    const second = open(clock);
    expect((await second.range("")).kvs).toEqual([]);
    expect(await second.keepAlive(expiring)).toBeUndefined();
    expect(await second.keepAlive(revoked)).toBeUndefined();
  });

  it("never reuses a lease id after a reopen", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    const old = await first.grantLease(1000);
    await first.revokeLease(old);
    await first.close();
    const second = open(clock);
    expect(await second.grantLease(1000)).toBeGreaterThan(old);
  });

  it("starts watch history at the reopen revision", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    for (let i = 1; i <= 3; i++) await first.put("k", `${i}`);
    await first.close();

    const second = open(clock);
    const compacted = recordWatch(second, "", 3);
    await compacted.until((r) => r.errors.length > 0);
    expect(compacted.errors[0]).toMatchObject({ requestedRevision: 3, compactRevision: 4 });
    expect(compacted.errors[0]).toBeInstanceOf(CompactedError);

    const next = recordWatch(second, "", 4);
    await second.put("k", "4");
    await next.untilRevision(4);
    expect(next.lines()).toEqual(["put k=4"]);
  });

  it("commits writes issued together in one transaction", async () => {
    const store = open(new FakeClock());
    const lease = await store.grantLease(10_000);
    const before = store.commitCount();
    await Promise.all([
      ...Array.from({ length: 1000 }, (_, i) => store.put(`/k/${i}`, "v", { lease })),
      store.txn({ compare: [], success: [{ type: "put", key: "/t", value: "v" }] }),
      store.delete("/k/3"),
    ]);
    expect(store.commitCount() - before).toBe(1);
    expect(await store.currentRevision()).toBe(1002);
  });

  it("resolves a write only once its transaction has committed", async () => {
    const store = open(new FakeClock());
    const before = store.commitCount();
    let resolved = false;
    const write = store.put("k", "v").then(() => {
      resolved = true;
      return store.commitCount();
    });
    await Promise.resolve();
    expect(resolved).toBe(false);
    expect(await write).toBe(before + 1);
  });

  it("holds the file exclusively, so no other connection can read a stale copy", async () => {
    const store = open(new FakeClock());
    await store.put("k", "v");
    const path = join(dir, "data", "hub.db");
    const reader = new Database(path, { readonly: true, fileMustExist: true, timeout: 0 });
    expect(() => reader.prepare("SELECT count(*) FROM kv").get()).toThrow(/locked/);
    reader.close();
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT value, mod_revision FROM kv WHERE key = 'k'").get()).toEqual({
      value: "v",
      mod_revision: 1,
    });
    check.close();
  });

  it("flushes pending writes on close", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    const writes = Array.from({ length: 100 }, (_, i) => first.put(`/k/${i}`, `${i}`));
    await first.close();
    await Promise.all(writes);
    const second = open(clock);
    expect((await second.range("/k/")).kvs).toHaveLength(100);
    expect(await second.currentRevision()).toBe(100);
  });

  it("refuses a second open of the same file while the first is open", async () => {
    const clock = new FakeClock();
    open(clock);
    expect(() => open(clock)).toThrow(expect.objectContaining({ code: "UNAVAILABLE" }));
  });

  it("reopens 20,000 keys quickly and in key order", async () => {
    const clock = new FakeClock();
    const first = open(clock);
    const count = 20_000;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        first.put(`/services/svc-${i % 50}/instances/${i}`, `{"n":${i}}`),
      ),
    );
    await first.close();

    const started = performance.now();
    const second = open(clock);
    const elapsed = performance.now() - started;
    const all = await second.range("");
    expect(all.kvs).toHaveLength(count);
    expect(all.revision).toBe(count);
    const keys = all.kvs.map((kv) => kv.key);
    expect(keys).toEqual([...keys].sort());
    expect((await second.range("/services/svc-7/")).kvs).toHaveLength(count / 50);
    expect(elapsed).toBeLessThan(2000);
  });
});
