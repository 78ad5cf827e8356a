import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDebianPackage } from "../lib/debian.mjs";
import { coreTicks, cpuMicros, otherLoadPercent } from "../lib/proc-stat.mjs";
import { CLIENT_CPU, spawnPinned } from "../lib/processes.mjs";
import { tempDir } from "../lib/temp-dir.mjs";
import { createLatencyHistogram, summarize } from "./histogram.mjs";

export const H2LOAD_INSTALL = "sudo apt-get install -y nghttp2-client";

/** True when nghttp2's h2load is there (installed with apt-get when missing and root). */
export const hasH2load = () => ensureDebianPackage("h2load", "nghttp2-client");

/**
 * Unary HTTP/2 load with nghttp2's h2load: `ceil(c / 16)` connections with up to 16 streams each
 * (like gRPC channels), one fixed request body. node:http2's client spends more CPU per call
 * than the servers measured here, so it would be the bottleneck. Per-request latencies (µs)
 * come from h2load's --log-file into the same HdrHistogram as the Node generator. h2load cannot
 * see grpc-status in trailers: callers check the answer once over gRPC before loading.
 * @param {{ host: string, port: number, serverPid?: number, serverCore?: string, concurrency: number, warmupMs?: number,
 *   durationMs?: number, headers: Record<string, string>, body: Buffer }} spec
 */
export async function runH2load(spec) {
  const dir = tempDir("h2load");
  const bodyFile = join(dir, "body");
  const logFile = join(dir, "log");
  writeFileSync(bodyFile, spec.body);
  const connections = Math.ceil(spec.concurrency / 16);
  const streams = Math.ceil(spec.concurrency / connections);
  const url = `http://${spec.host}:${spec.port}${spec.headers[":path"]}`;
  const args = (ms, log) => [
    "-c",
    String(connections),
    "-m",
    String(streams),
    "-D",
    `${Math.max(1, Math.round(ms))}ms`,
    ...Object.entries(spec.headers)
      .filter(([name]) => !name.startsWith(":"))
      .flatMap(([name, value]) => ["-H", `${name}: ${value}`]),
    "-d",
    bodyFile,
    ...(log ? ["--log-file", logFile] : []),
    url,
  ];
  const run = (ms, log) =>
    new Promise((resolve, reject) => {
      const child = spawnPinned(CLIENT_CPU, "h2load", args(ms, log), { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), ms + 30_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        code === 0 ? resolve(output) : reject(new Error(`h2load exited ${code}: ${output.slice(-500)}`));
      });
    });
  const readCpu = () => (spec.serverPid ? cpuMicros(spec.serverPid) : Number.NaN);

  await run(spec.warmupMs ?? 1000, false);
  const durationMs = spec.durationMs ?? 5000;
  const readCore = () => (spec.serverCore === undefined ? undefined : coreTicks(spec.serverCore));
  const [cpuStart, coreStart] = [readCpu(), readCore()];
  const output = await run(durationMs, true);
  const [cpuEnd, coreEnd] = [readCpu(), readCore()];

  const histogram = createLatencyHistogram();
  let errors = 0;
  for (const line of readFileSync(logFile, "latin1").split("\n")) {
    if (line === "") continue;
    const [, status, micros] = line.split("\t");
    if (status === "200") histogram.recordValue(Math.max(1, Number(micros)));
    else errors++;
  }
  const failed = /requests: .*?(\d+) failed, (\d+) errored/.exec(output);
  if (failed) errors += Number(failed[1]) + Number(failed[2]);
  const completed = histogram.totalCount;
  return {
    ...summarize(histogram),
    requests: completed,
    errors,
    firstError: errors > 0 ? output.split("\n").find((l) => l.startsWith("requests:")) : undefined,
    elapsedMs: durationMs,
    rps: completed / (durationMs / 1000),
    serverCpuUs: cpuEnd - cpuStart,
    serverCpuUsPerRequest: completed > 0 ? (cpuEnd - cpuStart) / completed : Number.NaN,
    serverCoreOtherPct: coreEnd ? otherLoadPercent(coreStart, coreEnd, cpuEnd - cpuStart) : Number.NaN,
    generator: "h2load",
  };
}
