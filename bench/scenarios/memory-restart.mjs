import { HUB_MAIN, HUB_NODE_FLAGS } from "../lib/paths.mjs";
import { freePort } from "../lib/ports.mjs";
import { rssBytes } from "../lib/proc-stat.mjs";
import { SERVER_CPU, spawnNode, stopProcess } from "../lib/processes.mjs";
import { waitServing } from "../lib/setup-calls.mjs";
import { tempDir } from "../lib/temp-dir.mjs";
import { mb, ratio } from "../report/format.mjs";
import { PER_SERVICE, settle } from "./fleet.mjs";

/**
 * Scenario 5: RSS with the fleet registered (vs the same hub empty), then the time from starting
 * the hub binary (apps/hub/dist/main.js) on the fleet's SQLite file until it answers a Discover
 * of the last registered service (vs the same restart on an empty store). Stops the fleet's hub.
 * @param {import("../run.mjs").Profile} profile
 * @param {Awaited<ReturnType<typeof import("./fleet.mjs").createFleet>>} fleet
 * @returns {Promise<import("../report/format.mjs").ScenarioReport>}
 */
export async function memoryRestartScenario(profile, fleet) {
  const n = fleet.size;
  const full = n === 100_000;
  await settle();
  const rss = rssBytes(fleet.hub.pid);
  const heap = await fleet.hub.command("memory");
  const { collected, rounds, rssAfterGc } = await collectUntilSteady(fleet.hub);
  await fleet.hub.stop();

  const lastService = `svc-${n / PER_SERVICE - 1}`;
  const empty = await restarts(profile.restarts, tempDir("empty"), "/health");
  const loaded = await restarts(profile.restarts, fleet.dataDir, `/services/discover/${lastService}`);
  // Garbage left by registering is not what 100k instances cost: the target takes the larger of
  // the steady figure after full GCs and the one after a restart.
  const steadyRss = Math.max(collected ? rssAfterGc : rss, loaded.rss);

  return {
    title: `5. Memory and restart (${n} instances, SQLite)`,
    figures: [
      {
        name: `RSS with ${n} instances, right after registering them`,
        value: `${mb(rss)} (V8 heap used ${mb(heap.heapUsed)})`,
        baseline: "same hub, empty",
        baselineValue: mb(fleet.emptyRss),
        ratio: ratio(rss, fleet.emptyRss),
      },
      {
        name: `RSS with ${n} instances, after full GCs`,
        value: collected
          ? `${mb(rssAfterGc)} (V8 heap used ${mb(collected.heapUsed)}, committed ${mb(collected.heapTotal)}; ${rounds} GCs)`
          : "– (no gc())",
        baseline: "same hub, empty",
        baselineValue: mb(fleet.emptyRss),
        ratio: collected ? ratio(rssAfterGc, fleet.emptyRss) : "",
      },
      {
        name: `RSS with ${n} instances, after a restart`,
        value: mb(loaded.rss),
        baseline: "hub binary, empty store",
        baselineValue: mb(empty.rss),
        ratio: ratio(loaded.rss, empty.rss),
      },
      {
        name: `restart to serving with ${n} instances (median of ${profile.restarts})`,
        value: `${loaded.medianMs.toFixed(0)} ms`,
        baseline: "restart with an empty store",
        baselineValue: `${empty.medianMs.toFixed(0)} ms`,
        ratio: ratio(loaded.medianMs, empty.medianMs),
      },
    ],
    targets: [
      {
        text: "100k instances under 300 MB RSS",
        short: "< 300 MB (the larger of this and the restart row)",
        row: `RSS with ${n} instances, after full GCs`,
        measured: `${mb(steadyRss)} with ${n} instances (the larger of after full GCs and after a restart; ${mb(rss)} right after registering)`,
        met: full ? steadyRss < 300 * 2 ** 20 : undefined,
      },
      {
        text: "restart to serving with 100k instances in SQLite under 2 s",
        short: "< 2 s",
        row: `restart to serving with ${n} instances (median of ${profile.restarts})`,
        measured: `${(loaded.medianMs / 1000).toFixed(2)} s with ${n} instances`,
        met: full ? loaded.medianMs < 2000 : undefined,
      },
    ],
    notes: [
      "After full GCs: one full GC compacts only the most fragmented pages, so the suite repeats it (at most 8 times, 300 ms apart) until RSS falls by less than 1%: what V8's memory reducer reaches in a hub that has gone quiet.",
      `Restart: from spawning \`node ${HUB_NODE_FLAGS.join(" ")} apps/hub/dist/main.js --data-dir <fleet>\` to the first 200 answer (polled every 5 ms); the hub is stopped with SIGTERM between runs.`,
    ],
  };
}

/** Full GCs until RSS stops falling; `collected` is the last GC's memory figures (undefined without gc()). */
async function collectUntilSteady(hub) {
  let rssAfterGc = rssBytes(hub.pid);
  let collected;
  let rounds = 0;
  while (rounds < 8) {
    const reply = await hub.command("gc", 60_000);
    if (!reply.collected) break;
    rounds++;
    collected = reply;
    await settle(300);
    const rss = rssBytes(hub.pid);
    const falling = rss < rssAfterGc * 0.99;
    rssAfterGc = rss;
    if (!falling && rounds > 1) break;
  }
  return { collected, rounds, rssAfterGc };
}

/** Starts the hub binary `times` times on `dataDir`; median time until `path` answers 2xx, and RSS then. */
async function restarts(times, dataDir, path) {
  const durations = [];
  let rss = Number.NaN;
  for (let i = 0; i < times; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawnNode(
      SERVER_CPU,
      HUB_MAIN,
      ["--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir, "--log-level", "warn"],
      { stdio: ["ignore", "ignore", "inherit"], execArgv: HUB_NODE_FLAGS },
    );
    try {
      await waitServing(`http://127.0.0.1:${port}${path}`, 120_000);
      durations.push(performance.now() - started);
      await settle(500);
      rss = rssBytes(child.pid);
    } finally {
      await stopProcess(child, 30_000);
    }
  }
  durations.sort((a, b) => a - b);
  return { medianMs: durations[Math.floor(durations.length / 2)], rss };
}
