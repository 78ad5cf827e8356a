// What measure() costs on top of the work it times. Compares, per call:
//   - a bare performance.now() pair (the least any timing can cost) against measure() on a sync fn
//     and against startTimer().end();
//   - the same pair around an awaited async fn against measure() on that async fn.
// The measured functions do nothing, so the figures are pure overhead. Imports the built package:
// run `pnpm --filter @hub/perf-tracker build` first. Bounded loops; takes a few seconds.
import { performance } from "node:perf_hooks";
import { PerformanceTracker } from "../dist/index.js";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 1_000_000);
const warmup = Math.min(100_000, iterations);
let sink = 0;

const syncWork = () => 1;
const asyncWork = async () => 1;

function bareSync(n) {
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    sink += syncWork();
    sink += performance.now() - start;
  }
}

function measureSync(tracker, n) {
  for (let i = 0; i < n; i++) sink += tracker.measure("sync-op", syncWork);
}

function timerSync(tracker, n) {
  for (let i = 0; i < n; i++) {
    const timer = tracker.startTimer("timer-op");
    sink += syncWork();
    sink += timer.end();
  }
}

async function bareAsync(n) {
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    sink += await asyncWork();
    sink += performance.now() - start;
  }
}

async function measureAsync(tracker, n) {
  for (let i = 0; i < n; i++) sink += await tracker.measure("async-op", asyncWork);
}

async function nsPerOp(run) {
  await run(warmup);
  const start = process.hrtime.bigint();
  await run(iterations);
  return Number(process.hrtime.bigint() - start) / iterations;
}

const tracker = new PerformanceTracker("bench");
const rows = [];
const bareSyncNs = await nsPerOp(bareSync);
rows.push(["bare `performance.now()` pair, sync fn", bareSyncNs, bareSyncNs]);
rows.push(["`measure()`, sync fn", await nsPerOp((n) => measureSync(tracker, n)), bareSyncNs]);
rows.push(["`startTimer()` + `end()`, sync fn", await nsPerOp((n) => timerSync(tracker, n)), bareSyncNs]);
const bareAsyncNs = await nsPerOp(bareAsync);
rows.push(["bare `performance.now()` pair, awaited async fn", bareAsyncNs, bareAsyncNs]);
rows.push(["`measure()`, awaited async fn", await nsPerOp((n) => measureAsync(tracker, n)), bareAsyncNs]);

console.log(
  `perf-tracker overhead: ${iterations.toLocaleString("en")} calls each, node ${process.version}\n`,
);
console.log("| case | ns/op | ratio to bare pair | overhead ns/op |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, ns, baseline] of rows) {
  console.log(
    `| ${name} | ${ns.toFixed(1)} | ${(ns / baseline).toFixed(2)}x | ${(ns - baseline).toFixed(1)} |`,
  );
}
// Keeps the loops' results alive so the JIT cannot drop them; also a sanity check on the counts.
const counted = Object.values(tracker.snapshot().operations).reduce((sum, op) => sum + op.count, 0);
console.log(`\n(${counted.toLocaleString("en")} calls recorded; checksum ${sink > 0 ? "ok" : "?"})`);
