import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore } from "../store/sqlite-store.js";
import { FakeClock } from "../testing/fake-clock.js";
import { openRegistryOver } from "../testing/test-registry.js";

const TTL = 10_000;

describe("Registry over SQLite across a restart", () => {
  let dir: string;
  let clock: FakeClock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hub-registry-"));
    clock = new FakeClock();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => openRegistryOver(createSqliteStore({ path: join(dir, "hub.db"), clock }), clock);

  it("keeps every instance and gives each one TTL of grace before its lease can expire", async () => {
    const first = await open();
    for (const port of [8001, 8002, 8003]) {
      await first.registry.register({
        name: "risk-management",
        host: "127.0.0.1",
        port,
        ttlMs: TTL,
        healthCheck: { disabled: true },
      });
    }
    await first.close();

    // The hub was down far longer than the TTL: without grace, everything would expire at once.
    clock.advance(5 * TTL);
    const second = await open();
    const ids = () =>
      second.registry.view.getService("risk-management")?.ordered.map((i) => `${i.record.id}:${i.status}`);
    expect(ids()).toEqual(["127.0.0.1-8001:healthy", "127.0.0.1-8002:healthy", "127.0.0.1-8003:healthy"]);

    await clock.advanceAsync(TTL / 2);
    await second.registry.heartbeat("risk-management", "127.0.0.1-8001");
    await clock.advanceAsync(TTL / 2 - 1);
    expect(ids()).toEqual(["127.0.0.1-8001:healthy", "127.0.0.1-8002:healthy", "127.0.0.1-8003:healthy"]);
    await clock.advanceAsync(1);
    // Grace is one TTL: those that did not heartbeat in it lapse; the one that did stays healthy.
    expect(ids()).toEqual(["127.0.0.1-8001:healthy", "127.0.0.1-8002:unhealthy", "127.0.0.1-8003:unhealthy"]);
    await second.close();
  });
});
