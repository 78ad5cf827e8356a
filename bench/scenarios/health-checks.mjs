import { fileURLToPath } from "node:url";
import { runLoad } from "../loadgen/run-load.mjs";
import { cpuMicros } from "../lib/proc-stat.mjs";
import { CLIENT_CPU, jsonLines, spawnNode, stopProcess } from "../lib/processes.mjs";
import { tempDir } from "../lib/temp-dir.mjs";
import { fixed, int, ratio } from "../report/format.mjs";
import { startHub } from "../servers/hub-process.mjs";
import { settle } from "./fleet.mjs";

const TARGETS = fileURLToPath(new URL("../servers/health-targets.mjs", import.meta.url));

/**
 * Scenario 6: instances actively checked every 10 s (quick: 1 s) against local HTTP targets on
 * the client core: checks/s achieved (counted by the targets), hub CPU per check, and the hub's
 * event-loop delay while checking, against the same hub idle before anything was registered.
 * @param {import("../run.mjs").Profile} profile
 * @returns {Promise<import("../report/format.mjs").ScenarioReport>}
 */
export async function healthChecksScenario(profile) {
  const n = profile.healthInstances;
  const INTERVAL_S = profile.healthIntervalS;
  const targets = spawnNode(CLIENT_CPU, TARGETS, [JSON.stringify({ ports: 20 })], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const hub = await startHub(["--data-dir", tempDir("health")]).catch(async (error) => {
    await stopProcess(targets);
    throw error;
  });
  try {
    const lines = jsonLines(targets);
    const { ports } = await lines.next((m) => m.type === "ready", 30_000, "the health targets");
    const probes = async () => {
      const reply = lines.next((m) => m.type === "count", 10_000, "the probe count");
      targets.stdin.write("count\n");
      return (await reply).probes;
    };

    await settle();
    await hub.command("eld-reset");
    await settle(profile.healthIdleMs);
    const idle = await hub.command("eld");

    const registrationStart = performance.now();
    const registration = await runLoad({
      host: "127.0.0.1",
      port: hub.port,
      serverPid: hub.pid,
      mode: "once",
      concurrency: 64,
      workload: {
        kind: "register",
        from: 0,
        count: n,
        perService: 10,
        ports,
        ttlSeconds: 30,
        healthCheck: {
          interval_seconds: INTERVAL_S,
          timeout_seconds: Math.min(2, INTERVAL_S / 2),
          rise: 2,
          fall: 3,
        },
      },
    });
    if (registration.errors > 0)
      throw new Error(
        `registering checked instances: ${registration.errors} errors, first: ${registration.firstError}`,
      );
    // Every instance got its first probe as it registered and its second one interval later:
    // measure once the second round has started for all of them.
    const due = registrationStart + INTERVAL_S * 1000 + profile.healthSettleMs;
    await settle(Math.max(profile.healthSettleMs, due - performance.now()));

    await hub.command("eld-reset");
    const [probes0, cpu0, t0] = [await probes(), cpuMicros(hub.pid), performance.now()];
    await settle(profile.healthWindowMs);
    const [probes1, cpu1, t1] = [await probes(), cpuMicros(hub.pid), performance.now()];
    const checking = await hub.command("eld");

    const seconds = (t1 - t0) / 1000;
    const checks = probes1 - probes0;
    const expected = n / INTERVAL_S;
    const delay = (e) =>
      `p50 ${fixed(e.p50Ms, 2)} ms, p99 ${fixed(e.p99Ms, 2)} ms, max ${fixed(e.maxMs, 1)} ms`;
    return {
      title: `6. Health checking: ${n} instances every ${INTERVAL_S} s against local HTTP targets`,
      figures: [
        {
          name: "checks/s achieved",
          value: fixed(checks / seconds, 0),
          baseline: "expected (instances / interval)",
          baselineValue: fixed(expected, 0),
          ratio: ratio(checks / seconds, expected),
        },
        {
          name: "hub CPU per check",
          value: `${fixed((cpu1 - cpu0) / Math.max(1, checks))} µs`,
          baseline: "hub CPU while checking",
          baselineValue: `${fixed(((cpu1 - cpu0) / 1e6 / seconds) * 100, 0)}% of a core`,
        },
        {
          name: "event-loop delay while checking",
          value: delay(checking),
          baseline: "same hub, idle",
          baselineValue: delay(idle),
          ratio: `p99 ${ratio(checking.p99Ms, idle.p99Ms)}`,
        },
        {
          name: "registering the checked instances (c=64)",
          value: `${(registration.elapsedMs / 1000).toFixed(1)} s (${int(registration.rps)}/s)`,
        },
      ],
      targets: [
        {
          text: "10k health-checked instances: event-loop delay p99 < 20 ms",
          short: "p99 < 20 ms",
          row: "event-loop delay while checking",
          measured: `${fixed(checking.p99Ms, 2)} ms with ${n} instances, ${fixed(checks / seconds, 0)} checks/s`,
          met:
            n === 10_000 && INTERVAL_S === 10
              ? checking.p99Ms < 20 && checks / seconds >= 0.9 * expected
              : undefined,
        },
      ],
      notes: [
        `Event-loop delay: perf_hooks.monitorEventLoopDelay (10 ms resolution) inside the hub process, minus the resolution; idle window ${profile.healthIdleMs / 1000} s, checking window ${profile.healthWindowMs / 1000} s.`,
        "Targets: 20 node:http servers on the client core; instances spread over them with distinct ids.",
      ],
    };
  } finally {
    await hub.stop();
    await stopProcess(targets);
  }
}
