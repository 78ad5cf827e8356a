import { fileURLToPath } from "node:url";
import { CLIENT_CPU, jsonLines, spawnNode } from "../lib/processes.mjs";
import { tempDir } from "../lib/temp-dir.mjs";
import { fixed, ms, ratio } from "../report/format.mjs";
import { startHub, startScript } from "../servers/hub-process.mjs";

const CLIENT = fileURLToPath(new URL("../loadgen/watch-client.mjs", import.meta.url));
const FLOOR = fileURLToPath(new URL("../servers/watch-floor.mjs", import.meta.url));
const WATCH_PATH = "/hub.v1.DiscoveryService/WatchServices";

/**
 * Scenario 4: register → change visible to every connected watcher: @hub/client caches (what
 * services use), and raw WatchServices streams (gRPC over h2c, what the cache is fed by).
 * Baseline: a bare server that fans the registration body out to the same number of open h2c
 * streams, with no registry and no store.
 * @param {import("../run.mjs").Profile} profile
 * @returns {Promise<import("../report/format.mjs").ScenarioReport>}
 */
export async function watchScenario(profile) {
  const stops = [];
  try {
    const floor = await startScript(FLOOR, []);
    stops.push(floor.stop);
    const floorResult = await watch(
      floor.port,
      floor.h2Port,
      profile.watchStreamChanges,
      profile,
      "stream",
      "f",
    );
    await floor.stop();
    const hub = await startHub(["--data-dir", tempDir("watch")]);
    stops.push(hub.stop);
    const cache = await watch(hub.port, hub.port, profile.watchChanges, profile, "hub-client", "c");
    const stream = await watch(hub.port, hub.port, profile.watchStreamChanges, profile, "stream", "s");

    const w = profile.watchers;
    const line = (s) => `p50 ${ms(s.p50Us)} ms, p99 ${ms(s.p99Us)} ms, p99.9 ${ms(s.p999Us)} ms`;
    const vsFloor = (name, hubFigure, floorFigure) => ({
      name,
      value: line(hubFigure),
      baseline: "bare h2c fan-out",
      baselineValue: line(floorFigure),
      ratio: `p99 ${ratio(hubFigure.p99Us, floorFigure.p99Us)}`,
    });
    const cacheRow = `@hub/client cache: visible in each of ${w} clients`;
    return {
      title: `4. Watch: register → visible to ${w} watchers (SQLite; ${profile.watchChanges} changes through @hub/client, ${profile.watchStreamChanges} through raw streams and the floor)`,
      figures: [
        vsFloor(cacheRow, cache.delivery, floorResult.delivery),
        vsFloor(`@hub/client cache: visible in the last of ${w} clients`, cache.slowest, floorResult.slowest),
        vsFloor(`raw WatchServices stream: delivered to each of ${w}`, stream.delivery, floorResult.delivery),
        vsFloor(
          `raw WatchServices stream: delivered to the last of ${w}`,
          stream.slowest,
          floorResult.slowest,
        ),
        vsFloor("the register call itself (during the stream run)", stream.register, floorResult.register),
        {
          name: `client process CPU per change (all ${w} watchers, one core): cache, stream`,
          value: `${fixed(cache.clientCpuUsPerChange / 1000, 2)} ms, ${fixed(stream.clientCpuUsPerChange / 1000, 2)} ms`,
          baseline: "bare h2c fan-out (stream)",
          baselineValue: `${fixed(floorResult.clientCpuUsPerChange / 1000, 2)} ms`,
        },
        {
          name: "deliveries missed (not seen within 2 s): cache, stream",
          value: `${cache.missed}, ${stream.missed}`,
          baseline: "bare h2c fan-out",
          baselineValue: String(floorResult.missed),
        },
      ],
      targets: [
        {
          text: "watch propagation p99 < 10 ms with 100 watchers (@hub/client cache)",
          short: "p99 < 10 ms",
          row: cacheRow,
          measured: `${ms(cache.delivery.p99Us)} ms per client, ${ms(cache.slowest.p99Us)} ms to the last of ${w} (raw stream: ${ms(stream.delivery.p99Us)} ms)`,
          met: w === 100 ? cache.delivery.p99Us < 10_000 && cache.missed === 0 : undefined,
        },
      ],
      notes: [
        "Latency runs from sending the registration to the change being visible; registrations go one at a time, over one keep-alive HTTP/1.1 connection.",
        "@hub/client: one client (own connections, own cache) per watcher, a change seen when the client announces its cache took it in (`instance_changed`); raw streams: one h2c connection each. All watchers share one process on the client core, so when the client CPU per change nears the delivery latency, the figure is bound by the watchers' core, not the hub.",
      ],
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

async function watch(h1Port, h2Port, changes, profile, observer, idPrefix) {
  const spec = {
    observer,
    idPrefix,
    host: "127.0.0.1",
    h1Port,
    h2Port,
    watchPath: WATCH_PATH,
    watchRequest: "", // WatchServicesRequest{}: every service, from a snapshot
    watchers: profile.watchers,
    changes,
  };
  const child = spawnNode(CLIENT_CPU, CLIENT, [JSON.stringify(spec)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const message = await jsonLines(child).next(
    (m) => m.type === "result" || m.type === "error",
    30_000 + changes * 2500,
    "the watch result",
  );
  if (message.type === "error") throw new Error(`watch client failed: ${message.message}`);
  return message;
}
