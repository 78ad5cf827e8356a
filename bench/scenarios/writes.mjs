import { fileURLToPath } from "node:url";
import { runLoad } from "../loadgen/run-load.mjs";
import { registerOne } from "../lib/setup-calls.mjs";
import { tempDir } from "../lib/temp-dir.mjs";
import { int } from "../report/format.mjs";
import { startHub, startScript } from "../servers/hub-process.mjs";

const FLOOR = fileURLToPath(new URL("../servers/floor-server.mjs", import.meta.url));
const PER_SERVICE = 10;

/**
 * Scenario 3: a registration burst into an empty SQLite hub, then sustained heartbeats over
 * every registered instance; the baseline is a bare node:http handler answering the hub's bytes
 * to the same requests.
 * @param {import("../run.mjs").Profile} profile
 * @returns {Promise<import("../report/format.mjs").ScenarioReport>}
 */
export async function writesScenario(profile) {
  const stops = [];
  try {
    const hub = await startHub(["--data-dir", tempDir("writes")]);
    stops.push(hub.stop);
    // One sample of each answer for the floor (an instance outside the measured set).
    const sample = {
      name: "sample",
      id: "s-0",
      host: "127.0.0.1",
      port: 9000,
      ttl_seconds: 3600,
      health_check: { disabled: true },
    };
    const registered = JSON.stringify(await registerOne(hub.url, sample));
    const beat = await fetch(`${hub.url}/services/sample/instances/s-0/heartbeat`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"load":0.5}',
    });
    if (!beat.ok) throw new Error(`heartbeat: HTTP ${beat.status}`);
    const b64 = (text) => Buffer.from(text).toString("base64");
    const floor = await startScript(FLOOR, [
      JSON.stringify({
        byMethod: {
          POST: { type: "application/json", body: b64(registered) },
          PUT: { type: "application/json", body: b64(await beat.text()) },
        },
      }),
    ]);
    stops.push(floor.stop);

    const n = profile.burst;
    const burst = (server) =>
      runLoad({
        host: "127.0.0.1",
        port: server.port,
        serverPid: server.pid,
        mode: "once",
        concurrency: 64,
        workload: { kind: "register", from: 0, count: n, perService: PER_SERVICE },
      });
    const rows = [];
    const floorBurst = await burst(floor);
    rows.push({ name: `floor: node:http, ${n} registrations`, c: 64, result: floorBurst });
    const hubBurst = await burst(hub);
    if (hubBurst.errors > 0)
      throw new Error(`registration burst: ${hubBurst.errors} errors, first: ${hubBurst.firstError}`);
    rows.push({
      name: `hub: registration burst, ${n} instances (JSON path)`,
      c: 64,
      result: hubBurst,
      baseline: rows[0].name,
      baselineResult: floorBurst,
    });

    for (const c of profile.concurrencies) {
      const beats = (server) =>
        runLoad({
          host: "127.0.0.1",
          port: server.port,
          serverPid: server.pid,
          mode: "duration",
          concurrency: c,
          // The first heartbeat load meets a cold (JIT) path.
          warmupMs: c === profile.concurrencies[0] ? profile.firstWarmupMs : profile.warmupMs,
          durationMs: profile.durationMs,
          workload: { kind: "heartbeat", from: 0, count: n, perService: PER_SERVICE },
        });
      const base = { name: "floor: node:http PUT handler", c, result: await beats(floor) };
      rows.push(base);
      rows.push({
        name: `hub: heartbeats over ${n} instances (JSON path)`,
        c,
        result: await beats(hub),
        baseline: base.name,
        baselineResult: base.result,
      });
    }

    const hb = rows.find((r) => r.c === 16 && r.name.startsWith("hub: heartbeats"));
    return {
      title: "3. Writes (SQLite store)",
      load: rows,
      figures: [
        {
          name: `registration burst: ${n} instances, 64 concurrent`,
          value: `${(hubBurst.elapsedMs / 1000).toFixed(2)} s (${int(hubBurst.rps)}/s)`,
          baseline: "floor",
          baselineValue: `${(floorBurst.elapsedMs / 1000).toFixed(2)} s`,
        },
      ],
      targets: hb
        ? [
            {
              text: "sustained heartbeats >= 10k/s (c=16)",
              short: ">= 10k/s",
              row: hb.name,
              c: 16,
              measured: `${int(hb.result.rps)}/s`,
              met: hb.result.rps >= 10_000,
            },
            {
              text: "heartbeat p99 < 5 ms (c=16)",
              short: "p99 < 5 ms",
              row: hb.name,
              c: 16,
              measured: `${(hb.result.p99Us / 1000).toFixed(2)} ms`,
              met: hb.result.p99Us < 5000,
            },
          ]
        : [],
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}
