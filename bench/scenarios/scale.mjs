import { runLoad } from "../loadgen/run-load.mjs";
import { fixed, int, ratio } from "../report/format.mjs";
import { PER_SERVICE } from "./fleet.mjs";

/**
 * Scenario 2: Discover cost as the registry grows (10 instances per service). Each size's load
 * rotates over every service, so the whole registry is exercised, not one hot entry. The
 * baseline of each row is the same encoding at the smallest size.
 * @param {import("../run.mjs").Profile} profile
 * @param {Awaited<ReturnType<typeof import("./fleet.mjs").createFleet>>} fleet
 * @returns {Promise<import("../report/format.mjs").ScenarioReport>}
 */
export async function scaleScenario(profile, fleet) {
  const encodings = [
    ["Connect binary", "connect-proto"],
    ["JSON path", "rest"],
  ];
  const rows = [];
  const figures = [];
  const smallestSize = profile.scaleSizes[0];
  for (const size of profile.scaleSizes) {
    await fleet.grow(size);
    // Registering leaves garbage behind (tens of MB at 100k); collect it first, so the Discover
    // windows measure reads at this size, not the tail of the registrations' GC work.
    await fleet.hub.command("gc", 60_000);
    const step = fleet.registrations.at(-1);
    if (step?.to === size) {
      figures.push({
        name: `registering instances ${step.from}..${step.to} (c=64, JSON path)`,
        value: `${(step.result.elapsedMs / 1000).toFixed(1)} s, ${int(step.result.rps)}/s, p99 ${(step.result.p99Us / 1000).toFixed(1)} ms`,
      });
    }
    for (const [label, encoding] of encodings) {
      const workload = { kind: "discover", encoding, services: size / PER_SERVICE };
      // One pass over every service first: the hub builds each service's encoded answer on its
      // first request, and the window should measure reads in steady state, not that build.
      const firstPass = await runLoad({
        host: "127.0.0.1",
        port: fleet.hub.port,
        serverPid: fleet.hub.pid,
        mode: "once",
        concurrency: 16,
        workload,
      });
      if (size === profile.scaleSizes.at(-1)) {
        figures.push({
          name: `first request to each of ${size / PER_SERVICE} services (answers built), ${label}`,
          value: `${int(firstPass.rps)}/s, ${fixed(firstPass.serverCpuUsPerRequest)} µs server CPU per request`,
        });
      }
      // And the garbage of building them collected, as after registering.
      await fleet.hub.command("gc", 60_000);
      await fleet.hub.command("gc-stats");
      const result = await runLoad({
        host: "127.0.0.1",
        port: fleet.hub.port,
        serverPid: fleet.hub.pid,
        mode: "duration",
        concurrency: 16,
        // The first Discover load of an encoding meets a cold (JIT) path.
        warmupMs: rows.some((r) => r.encoding === encoding) ? profile.warmupMs : profile.firstWarmupMs,
        durationMs: profile.durationMs,
        workload,
      });
      const { collections } = await fleet.hub.command("gc-stats");
      if (size === smallestSize || size === profile.scaleSizes.at(-1)) {
        figures.push({
          name: `GC pauses in the hub during the ${label} window, ${size} instances`,
          value: gcSummary(collections, result.totalMs),
        });
      }
      const base = rows.find((r) => r.encoding === encoding);
      rows.push({
        name: `hub: ${label}, ${size} instances`,
        encoding,
        c: 16,
        result,
        ...(base ? { baseline: base.name, baselineResult: base.result } : {}),
      });
    }
  }
  const smallest = profile.scaleSizes[0];
  const largest = profile.scaleSizes.at(-1);
  const targets = encodings.map(([label, encoding]) => {
    const [first, last] = [
      rows.find((r) => r.encoding === encoding),
      rows.findLast((r) => r.encoding === encoding),
    ];
    const cost = last.result.serverCpuUsPerRequest / first.result.serverCpuUsPerRequest;
    return {
      text: `Discover (${label}) cost at 100k / cost at 1k instances <= 1.1 (server CPU per request)`,
      short: "CPU/req <= 1.1× smallest",
      row: last.name,
      measured: `${fixed(last.result.serverCpuUsPerRequest)} / ${fixed(first.result.serverCpuUsPerRequest)} µs = ${ratio(last.result.serverCpuUsPerRequest, first.result.serverCpuUsPerRequest)}${largest === 100_000 ? "" : ` (${largest} / ${smallest} instances)`}`,
      met: largest === 100_000 && smallest === 1000 ? cost <= 1.1 : undefined,
    };
  });
  return {
    title: `2. Scale: Discover with ${profile.scaleSizes.join(", ")} instances (${PER_SERVICE} per service, c=16)`,
    load: rows,
    figures,
    targets,
    notes: [
      "Each run asks for every service in turn (the whole registry), not one hot entry.",
      "A full GC runs in the hub after each registration step, before its Discover windows.",
      "Each window follows one pass over every service and a full GC; the first pass's cost at the largest size is a figure of its own.",
      "GC pauses: what the hub's GC observer saw during the run (warm-up and window); with the hub on one core, V8's helper threads share it, so a young-generation collection of a larger heap shows up in the CPU per request.",
    ],
  };
}

/** "N minor (avg X ms), ...: Y% of the run" from the probe's gc-stats reply (warm-up included). */
function gcSummary(collections, runMs) {
  const kinds = Object.entries(collections);
  if (kinds.length === 0) return "none";
  const pausedMs = kinds.reduce((sum, [, figures]) => sum + figures.ms, 0);
  const each = kinds.map(([kind, { count, ms }]) => `${count} ${kind} (avg ${fixed(ms / count, 2)} ms)`);
  return `${each.join(", ")}: ${fixed((100 * pausedMs) / runMs, 1)}% of the run`;
}
