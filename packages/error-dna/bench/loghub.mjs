// Measures ErrorDNA's grouping on the Loghub 2k datasets with loghub-eval.
//
//   pnpm --filter @hub/error-dna bench            (builds first; this script imports dist/)
//   node bench/loghub.mjs --online-labels         (label each line with the id analyze() returned then)
//
// One setting for every dataset: ErrorDNA's defaults, fed only the message part of each line
// (`--input content`). By default each line gets the pattern it belongs to at the end of the run,
// as the published online parsers (Drain) are scored. The data is research-only and stays in
// shared/: set LOGHUB_ROOT and LOGHUB_EVAL to point elsewhere.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, "../../../../shared");
const root = process.env.LOGHUB_ROOT ?? join(shared, "data/loghub-2k");
const evalTool = process.env.LOGHUB_EVAL ?? join(shared, "tools/loghub-eval");
const online = process.argv.includes("--online-labels");
const targets = { ga: 0.95, fga: 0.85, seconds: 5 };

for (const [what, path] of [
  ["data", root],
  ["scorer", evalTool],
  ["build", join(here, "../dist/index.js")],
]) {
  if (!existsSync(path)) {
    console.error(`missing ${what}: ${path}${what === "build" ? " (run the build first)" : ""}`);
    process.exit(2);
  }
}

const started = performance.now();
const output = execFileSync(
  evalTool,
  [
    "--all",
    root,
    "--cmd",
    `node ${JSON.stringify(join(here, "grouper.mjs"))}`,
    "--input",
    "content",
    "--format",
    "lines",
    "--json",
  ],
  {
    encoding: "utf8",
    env: { ...process.env, ERROR_DNA_ONLINE_LABELS: online ? "1" : "0" },
    maxBuffer: 16 * 1024 * 1024,
  },
);
const seconds = (performance.now() - started) / 1000;
const report = JSON.parse(output);

const rows = report.results.map((r) => [
  r.dataset,
  r.GA.toFixed(4),
  r.FGA.toFixed(4),
  String(r.predGroups),
  String(r.truthGroups),
  r.seconds.toFixed(2),
  r.drainPublishedGA === undefined ? "" : r.drainPublishedGA.toFixed(4),
]);
rows.push([
  "AVERAGE",
  report.averageGA.toFixed(4),
  report.averageFGA.toFixed(4),
  "",
  "",
  seconds.toFixed(2),
  report.averageDrainPublishedGA?.toFixed(4) ?? "",
]);
const header = ["dataset", "GA", "FGA", "groups", "truth", "seconds", "Drain GA (published, tuned)"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(
  `ErrorDNA on Loghub 2k (${report.groundTruth} labels, message only, default options, ${online ? "labels as returned online" : "final pattern per line"})`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  `total ${seconds.toFixed(2)} s for ${report.results.length} datasets (process start-up included)`,
);

const ok =
  report.failed === 0 &&
  report.averageGA >= targets.ga &&
  report.averageFGA >= targets.fga &&
  seconds < targets.seconds;
console.log(
  `targets: average GA >= ${targets.ga}, FGA >= ${targets.fga}, under ${targets.seconds} s: ${ok ? "met" : "NOT met"}`,
);
process.exitCode = ok || online ? 0 : 1;
