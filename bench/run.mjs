#!/usr/bin/env node
// `pnpm bench` (after `turbo run build`): every scenario, its baselines in the same run, a markdown
// table on stdout and in bench/results/latest.md. Options: --quick (CI-sized), --only=a,b.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { HUB_MAIN } from "./lib/paths.mjs";
import { killAll } from "./lib/processes.mjs";
import { profiles } from "./profiles.mjs";
import { describeEnvironment } from "./report/environment.mjs";
import { renderReport } from "./report/render.mjs";
import { discoverScenario } from "./scenarios/discover.mjs";
import { createFleet } from "./scenarios/fleet.mjs";
import { healthChecksScenario } from "./scenarios/health-checks.mjs";
import { memoryRestartScenario } from "./scenarios/memory-restart.mjs";
import { scaleScenario } from "./scenarios/scale.mjs";
import { watchScenario } from "./scenarios/watch.mjs";
import { writesScenario } from "./scenarios/writes.mjs";

const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
// Run order: the 100k fleet (scale, then memory and restart on it) last, as it takes longest.
const scenarioNames = ["discover", "writes", "watch", "health", "scale", "memory"];
// Report order: the numbering.
const reportOrder = ["discover", "scale", "writes", "watch", "memory", "health"];
if (values.help) {
  process.stdout.write(`Usage: node bench/run.mjs [--quick] [--only=${scenarioNames.join(",")}]\n`);
  process.exit(0);
}
const asked = values.only ? values.only.split(",").map((s) => s.trim()) : scenarioNames;
// Always in this order: memory stops the fleet's hub that scale grows.
const only = scenarioNames.filter((name) => asked.includes(name));
const unknown = asked.filter((name) => !scenarioNames.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown scenario ${unknown.join(", ")} (have ${scenarioNames.join(", ")})\n`);
  process.exit(2);
}
const profile = values.quick ? profiles.quick : profiles.full;

let fleet;
/** Scale and memory share one growing fleet (registering 100k instances is the slowest step). */
const getFleet = async () => (fleet ??= await createFleet());
const scenarios = {
  discover: () => discoverScenario(profile),
  writes: () => writesScenario(profile),
  watch: () => watchScenario(profile),
  health: () => healthChecksScenario(profile),
  scale: async () => scaleScenario(profile, await getFleet()),
  memory: async () => {
    const f = await getFleet();
    await f.grow(profile.scaleSizes.at(-1));
    return memoryRestartScenario(profile, f);
  },
};

if (!existsSync(HUB_MAIN)) {
  process.stderr.write(
    `bench: ${HUB_MAIN} is missing; build first: npx -y pnpm@9 turbo run build --filter=@hub/bench...\n`,
  );
  process.exit(2);
}

const started = performance.now();
const reports = new Map();
let failed = false;
for (const name of only) {
  const t0 = performance.now();
  process.stderr.write(`bench: ${name} ...\n`);
  try {
    reports.set(name, await scenarios[name]());
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    failed = true;
    process.stderr.write(`bench: ${name} FAILED: ${error?.stack ?? error}\n`);
    reports.set(name, { title: `${name}: FAILED`, notes: [`crashed: ${String(error?.message ?? error)}`] });
  }
}
await fleet?.hub.stop();

const ordered = reportOrder.filter((name) => reports.has(name)).map((name) => reports.get(name));
const markdown = renderReport(describeEnvironment(profile.name), ordered, performance.now() - started);
process.stdout.write(`${markdown}\n`);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}latest.md`, markdown);
writeFileSync(
  `${RESULTS}latest.json`,
  `${JSON.stringify({ profile: profile.name, reports: ordered }, null, 2)}\n`,
);
process.stderr.write(
  `bench: wrote bench/results/latest.md (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
);
killAll();
process.exitCode = failed ? 1 : 0;
