import { describe, expect, it } from "vitest";
import { KeySpace } from "./key-space.js";
import type { KeyValue } from "./store.js";

const kv = (key: string, value = "v"): KeyValue => ({
  key,
  value,
  createRevision: 1,
  modRevision: 1,
  version: 1,
  lease: 0,
});

describe("KeySpace", () => {
  it("sorts keys loaded in any order", () => {
    const keys = new KeySpace(["c", "a", "b"].map((key) => kv(key)));
    expect(keys.keysWithPrefix("")).toEqual(["a", "b", "c"]);
  });

  it("keeps the last of duplicate initial keys, listed once", () => {
    const keys = new KeySpace([kv("b", "first"), kv("a"), kv("b", "last")]);
    expect(keys.keysWithPrefix("")).toEqual(["a", "b"]);
    expect(keys.get("b")?.value).toBe("last");
    expect(keys.size).toBe(2);
  });

  it.each([
    ["a few changes (spliced)", 5],
    ["a burst of changes (merged)", 500],
  ])("keeps the index exact after %s", (_name, count) => {
    const keys = new KeySpace(["/k/000", "/k/zzz", "/other"].map((key) => kv(key)));
    const expected = new Set(["/k/000", "/k/zzz", "/other"]);
    for (let i = 0; i < count; i++) {
      const key = `/k/${String((i * 7919) % 1000).padStart(3, "0")}`;
      keys.set(kv(key));
      expected.add(key);
      if (i % 3 === 0) {
        keys.remove(key);
        expected.delete(key);
      }
    }
    keys.remove("/k/000");
    expected.delete("/k/000");
    expect(keys.keysWithPrefix("")).toEqual([...expected].sort());
    expect(keys.keysWithPrefix("/k/")).toEqual([...expected].filter((key) => key.startsWith("/k/")).sort());
  });

  it("keeps a key deleted and re-created between ranges exactly once", () => {
    const keys = new KeySpace([kv("a"), kv("b")]);
    keys.remove("a");
    keys.set(kv("a", "again"));
    keys.set(kv("c"));
    keys.remove("c");
    expect(keys.range("").map((entry) => [entry.key, entry.value])).toEqual([
      ["a", "again"],
      ["b", "v"],
    ]);
  });

  it("stops a prefix range at the first key past the prefix", () => {
    const keys = new KeySpace(["/a", "/a/1", "/a/2", "/a0", "/b"].map((key) => kv(key)));
    expect(keys.keysWithPrefix("/a/")).toEqual(["/a/1", "/a/2"]);
    expect(keys.keysWithPrefix("/c")).toEqual([]);
  });
});
