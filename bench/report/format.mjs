/**
 * @typedef {object} LoadRow one load run and how it compares with its baseline
 * @property {string} name
 * @property {number} c concurrency
 * @property {{ rps: number, p50Us: number, p99Us: number, p999Us: number, serverCpuUsPerRequest: number, errors: number }} [result]
 * @property {string} [baseline] name of the baseline row (same c)
 * @property {{ rps: number, serverCpuUsPerRequest: number }} [baselineResult]
 * @property {string} [skipped] why there is no result
 *
 * @typedef {object} FigureRow a single figure (latency, memory, time) and its baseline
 * @property {string} name
 * @property {string} value
 * @property {string} [baseline]
 * @property {string} [baselineValue]
 * @property {string} [ratio]
 *
 * @typedef {object} Target
 * @property {string} text what the issue asks, e.g. "Discover (Connect binary) >= 50% of the floor's req/s"
 * @property {string} measured
 * @property {boolean | undefined} met undefined when it could not be measured (skipped)
 * @property {string} [row] the row (load or figure) the target is shown beside
 * @property {number} [c] with `row`: only beside the row of this concurrency
 * @property {string} [short] the target as the row's target column shows it, e.g. "p99 < 2 ms"
 *
 * @typedef {object} ScenarioReport
 * @property {string} title
 * @property {LoadRow[]} [load]
 * @property {FigureRow[]} [figures]
 * @property {Target[]} [targets]
 * @property {string[]} [notes]
 */

export const int = (n) => (Number.isFinite(n) ? String(Math.round(n)) : "–");
export const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
export const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "–");
export const ms = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : "–");
export const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MB` : "–");

/** A markdown table. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export const verdict = (met) => (met === undefined ? "skipped" : met ? "met" : "NOT met");

/** What the target column says beside `row` (concurrency `c`, for load rows). */
function targetCell(targets, name, c) {
  return targets
    .filter((t) => t.row === name && (t.c === undefined || t.c === c))
    .map((t) => `${t.short ?? t.text}: ${verdict(t.met)}`)
    .join("; ");
}

/**
 * @param {LoadRow[]} rows
 * @param {Target[]} [targets]
 */
export function loadTable(rows, targets = []) {
  return table(
    [
      "case",
      "c",
      "req/s",
      "p50 µs",
      "p99 µs",
      "p99.9 µs",
      "server CPU µs/req",
      "errors",
      "baseline",
      "req/s vs baseline",
      "CPU vs baseline",
      "other load on server core",
      "target",
    ],
    rows.map((row) => {
      const r = row.result;
      const target = targetCell(targets, row.name, row.c);
      if (!r) return [row.name, row.c, `skipped: ${row.skipped}`, "", "", "", "", "", "", "", "", "", target];
      const b = row.baselineResult;
      return [
        row.name,
        row.c,
        int(r.rps),
        int(r.p50Us),
        int(r.p99Us),
        int(r.p999Us),
        fixed(r.serverCpuUsPerRequest),
        r.errors,
        row.baseline ?? "",
        b ? ratio(r.rps, b.rps) : "",
        b ? ratio(r.serverCpuUsPerRequest, b.serverCpuUsPerRequest) : "",
        Number.isFinite(r.serverCoreOtherPct) ? `${r.serverCoreOtherPct.toFixed(0)}%` : "",
        target,
      ];
    }),
  );
}

/**
 * @param {FigureRow[]} rows
 * @param {Target[]} [targets]
 */
export function figureTable(rows, targets = []) {
  return table(
    ["figure", "value", "baseline", "baseline value", "ratio", "target"],
    rows.map((r) => [
      r.name,
      r.value,
      r.baseline ?? "",
      r.baselineValue ?? "",
      r.ratio ?? "",
      targetCell(targets, r.name, undefined),
    ]),
  );
}

/** @param {Target[]} targets */
export function targetTable(targets) {
  return table(
    ["target", "measured", "met?"],
    targets.map((t) => [t.text, t.measured, verdict(t.met)]),
  );
}
