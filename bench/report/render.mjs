import { figureTable, loadTable, targetTable } from "./format.mjs";

/**
 * The whole report as markdown.
 * @param {ReturnType<typeof import("./environment.mjs").describeEnvironment>} env
 * @param {import("./format.mjs").ScenarioReport[]} scenarios
 * @param {number} elapsedMs
 */
export function renderReport(env, scenarios, elapsedMs) {
  const out = [
    "# Hub benchmarks",
    "",
    `- date: ${env.date}`,
    `- CPU: ${env.cpu} (${env.cores} cores); pinning: ${env.pinning}`,
    `- Node ${env.node}; profile: ${env.profile}; commit: ${env.commit || "n/a"}; suite took ${(elapsedMs / 1000).toFixed(0)} s`,
    "- Latencies in µs from a closed-loop load generator (HdrHistogram); server CPU from /proc/<pid>/stat.",
    "  Absolute figures drift on shared machines: compare ratios to the baselines measured in the same run.",
    "  'other load on server core': how busy the server's core was with anything else during the window (other",
    "  processes, interrupts, VM steal); above a few percent, that row's figures are disturbed.",
    "",
  ];
  const allTargets = [];
  for (const s of scenarios) {
    out.push(`## ${s.title}`, "");
    if (s.load?.length) out.push(loadTable(s.load, s.targets), "");
    if (s.figures?.length) out.push(figureTable(s.figures, s.targets), "");
    for (const note of s.notes ?? []) out.push(`- ${note}`);
    if (s.notes?.length) out.push("");
    allTargets.push(...(s.targets ?? []));
  }
  out.push("## Targets", "", targetTable(allTargets), "");
  return out.join("\n");
}
