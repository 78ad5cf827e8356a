import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { createStore, storeFileName } from "./create-store.js";

describe("createStore", () => {
  it("builds a memory store", async () => {
    const store = await createStore(
      { storage: "memory", dataDir: "/unused", historyLimit: 10 },
      new FakeClock(),
    );
    expect(await store.put("k", "v")).toEqual({ revision: 1 });
    await store.close();
  });

  it("builds a SQLite store in the data directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-create-store-"));
    try {
      const dataDir = join(dir, "nested", "data");
      const first = await createStore({ storage: "sqlite", dataDir });
      await first.put("k", "v");
      await first.close();
      expect(existsSync(join(dataDir, storeFileName))).toBe(true);
      const second = await createStore({ storage: "sqlite", dataDir });
      expect((await second.get("k"))?.value).toBe("v");
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
