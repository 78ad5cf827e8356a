import { fileURLToPath } from "node:url";
import { CLIENT_CPU, canPin, jsonLines, SERVER_CPU, spawnNode } from "../lib/processes.mjs";
import { hasH2load, runH2load } from "./h2load.mjs";
import { buildWorkload } from "./workloads.mjs";

const MAIN = fileURLToPath(new URL("./main.mjs", import.meta.url));

/**
 * Runs load in a separate process on the client core and returns its result: HTTP/1.1 with the
 * Node generator (main.mjs), unary HTTP/2 with one fixed request through h2load when installed.
 * @param {import("./main.mjs").LoadSpec} loadSpec
 * @returns {Promise<{ rps: number, p50Us: number, p99Us: number, p999Us: number, maxUs: number,
 *   requests: number, errors: number, firstError?: string, elapsedMs: number,
 *   serverCpuUsPerRequest: number, generator: string }>}
 */
export async function runLoad(loadSpec) {
  const spec = canPin ? { serverCore: SERVER_CPU, ...loadSpec } : loadSpec;
  if (spec.mode === "duration" && hasH2load() && isSingleH2Request(spec.workload)) {
    const { requests } = buildWorkload(spec.workload);
    return runH2load({ ...spec, headers: requests[0].headers, body: requests[0].body });
  }
  const child = spawnNode(CLIENT_CPU, MAIN, [JSON.stringify(spec)], {
    stdio: ["ignore", "pipe", "inherit"],
    execArgv: ["--max-old-space-size=2048"],
  });
  const bound =
    (spec.mode === "once" ? 600_000 : (spec.warmupMs ?? 1000) + (spec.durationMs ?? 5000)) + 60_000;
  const message = await jsonLines(child).next(
    (m) => m.type === "result" || m.type === "error",
    bound,
    "the load result",
  );
  if (message.type === "error") throw new Error(`load generator failed: ${message.message}`);
  return { ...message, generator: "node" };
}

function isSingleH2Request(workload) {
  return (
    workload.kind === "grpc" ||
    (workload.kind === "discover" && workload.encoding === "grpc" && workload.services === 1)
  );
}
