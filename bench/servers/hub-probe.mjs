// Preloaded into the hub binary (`node --import hub-probe.mjs apps/hub/dist/main.js ...`) so the
// suite measures the hub exactly as shipped while still seeing inside it: answers one JSON line
// on stdout per JSON command read from stdin:
//   {"cmd":"eld-reset"} | {"cmd":"eld"} (event-loop delay) | {"cmd":"gc-stats"} (collections
//   since the last gc-stats) | {"cmd":"memory"} (with V8 heap spaces) | {"cmd":"gc"} (a full GC
//   first, when the hub runs with --expose-gc, then memory)
// It adds a 10 ms timer (the delay monitor) and a GC observer, and nothing else, to the hub.
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { getHeapSpaceStatistics } from "node:v8";

const RESOLUTION_MS = 10;
const eld = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
eld.enable();

const gcKinds = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/** Garbage collections since the last "gc-stats": count and pause time per kind. */
let collections = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = gcKinds[entry.detail?.kind] ?? "other";
    collections[kind] ??= { count: 0, ms: 0 };
    collections[kind].count++;
    collections[kind].ms += entry.duration;
  }
}).observe({ entryTypes: ["gc"] });

const commands = {
  "gc-stats": () => {
    const reply = { collections };
    collections = {};
    return reply;
  },
  "eld-reset": () => {
    eld.reset();
    return {};
  },
  // The histogram records timer intervals; the delay is what exceeds the sampling interval.
  eld: () => {
    const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return {
      samples: eld.count,
      p50Ms: ms(eld.percentile(50)),
      p99Ms: ms(eld.percentile(99)),
      maxMs: ms(eld.max),
    };
  },
  memory: () => ({ ...process.memoryUsage(), spaces: heapSpaces() }),
  gc: () => {
    globalThis.gc?.();
    return { ...process.memoryUsage(), spaces: heapSpaces(), collected: typeof globalThis.gc === "function" };
  },
};

/** Per V8 heap space: bytes in use and bytes committed (the gap is fragmentation). */
function heapSpaces() {
  return Object.fromEntries(
    getHeapSpaceStatistics().map((s) => [
      s.space_name,
      { used: s.space_used_size, committed: s.physical_space_size },
    ]),
  );
}

createInterface({ input: process.stdin })
  .on("line", (line) => {
    const { cmd, id } = JSON.parse(line);
    const reply = commands[cmd]?.() ?? { error: `unknown command ${cmd}` };
    process.stdout.write(`${JSON.stringify({ type: "probe-reply", id, ...reply })}\n`);
  })
  // The suite is gone: stop like an operator would.
  .on("close", () => process.kill(process.pid, "SIGTERM"));
// Reading stdin must not keep the hub alive once it has stopped on SIGTERM.
process.stdin.unref?.();
