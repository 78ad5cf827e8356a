import { runLoad } from "../loadgen/run-load.mjs";
import { rssBytes } from "../lib/proc-stat.mjs";
import { tempDir } from "../lib/temp-dir.mjs";
import { startHub } from "../servers/hub-process.mjs";

export const PER_SERVICE = 10;

/**
 * A hub on SQLite that grows to ever larger fleets (10 instances per service, no active checks,
 * one-hour leases, so every instance stays healthy): shared by the scale, memory and restart
 * scenarios, because registering 100k instances is the slowest step of the suite.
 */
export async function createFleet() {
  const dataDir = tempDir("fleet");
  const hub = await startHub(["--data-dir", dataDir]);
  await settle();
  const emptyRss = rssBytes(hub.pid);
  let size = 0;
  /** @type {Array<{ from: number, to: number, result: Awaited<ReturnType<typeof runLoad>> }>} */
  const registrations = [];
  return {
    hub,
    dataDir,
    emptyRss,
    registrations,
    get size() {
      return size;
    },
    /** Registers instances up to `target` (64 concurrent keep-alive JSON-path registrations). */
    async grow(target) {
      if (target <= size) return;
      const result = await runLoad({
        host: "127.0.0.1",
        port: hub.port,
        serverPid: hub.pid,
        mode: "once",
        concurrency: 64,
        workload: { kind: "register", from: size, count: target - size, perService: PER_SERVICE },
      });
      if (result.errors > 0)
        throw new Error(
          `registering instances ${size}..${target}: ${result.errors} errors, first: ${result.firstError}`,
        );
      registrations.push({ from: size, to: target, result });
      size = target;
      await settle();
    },
  };
}

/** Lets the hub finish background work (store flushes, GC) before the next measurement. */
export const settle = (ms = 1000) => new Promise((resolve) => setTimeout(resolve, ms));
