// The load generator process: `node loadgen/main.mjs '<json spec>'` prints one JSON result line.
// Closed loop: `concurrency` connections (or h2 streams), one request in flight on each.
import { coreTicks, cpuMicros, otherLoadPercent } from "../lib/proc-stat.mjs";
import { H2Channel } from "./h2-client.mjs";
import { createLatencyHistogram, summarize } from "./histogram.mjs";
import { Http1Connection } from "./http1-client.mjs";
import { buildWorkload } from "./workloads.mjs";

/**
 * @typedef {object} LoadSpec
 * @property {string} host
 * @property {number} port
 * @property {Record<string, any>} workload see workloads.mjs
 * @property {number} concurrency
 * @property {"duration" | "once"} mode duration: repeat the requests (round robin) for warmupMs + durationMs;
 *   once: send every request exactly once and time the whole burst
 * @property {number} [warmupMs]
 * @property {number} [durationMs]
 * @property {number} [maxRequests] hard bound on requests sent (default 20 million)
 * @property {number} [serverPid] read its CPU time around the measured window
 * @property {string} [serverCore] the core the server is pinned to: how busy it was otherwise
 * @property {number} [h2Sessions] h2 connections shared by the streams (default ceil(concurrency / 16))
 */

/** @param {LoadSpec} spec */
async function run(spec) {
  const { transport, requests } = buildWorkload(spec.workload);
  const once = spec.mode === "once";
  const warmupMs = once ? 0 : (spec.warmupMs ?? 1000);
  const durationMs = spec.durationMs ?? 5000;
  const maxRequests = once ? requests.length : (spec.maxRequests ?? 20_000_000);
  // Even a burst is bounded in time: it gives up after 10 minutes.
  const hardStopMs = once ? 600_000 : warmupMs + durationMs;
  const histogram = createLatencyHistogram();
  const readCpu = () => (spec.serverPid ? cpuMicros(spec.serverPid) : Number.NaN);

  let sent = 0;
  let measuring = warmupMs === 0;
  let stopping = false;
  let errors = 0;
  let firstError;
  let completed = 0;
  let cpuStart = readCpu();
  let ownCpuStart = process.cpuUsage();
  const readCore = () => (spec.serverCore === undefined ? undefined : coreTicks(spec.serverCore));
  let coreStart = readCore();
  let windowStart = performance.now();
  const startedAt = windowStart;

  const noteError = (why) => {
    if (measuring) errors++;
    firstError ??= why;
  };

  let finish;
  const finished = new Promise((resolve) => {
    finish = resolve;
  });
  let active = 0;
  const slotDone = () => {
    if (--active === 0) finish();
  };

  const warmupTimer =
    warmupMs > 0
      ? setTimeout(() => {
          measuring = true;
          cpuStart = readCpu();
          ownCpuStart = process.cpuUsage();
          coreStart = readCore();
          windowStart = performance.now();
        }, warmupMs)
      : undefined;
  const stopTimer = setTimeout(() => {
    stopping = true;
    finish();
  }, hardStopMs);

  const record = (startedAtMs) => {
    if (!measuring) return;
    histogram.recordValue(Math.max(1, Math.round((performance.now() - startedAtMs) * 1000)));
    completed++;
  };

  let channel;
  const slots = [];
  if (transport === "http1") {
    for (let i = 0; i < Math.min(spec.concurrency, maxRequests); i++) slots.push(http1Slot());
  } else {
    channel = new H2Channel(spec, spec.h2Sessions ?? Math.ceil(spec.concurrency / 16));
    for (let i = 0; i < Math.min(spec.concurrency, maxRequests); i++) slots.push(h2Slot());
  }
  active = slots.length;
  for (const start of slots) start();

  await finished;
  const elapsedMs = performance.now() - windowStart;
  const cpuEnd = readCpu();
  const ownCpu = process.cpuUsage(ownCpuStart);
  const coreEnd = readCore();
  clearTimeout(warmupTimer);
  clearTimeout(stopTimer);
  stopping = true;
  channel?.close();
  for (const conn of openConnections) conn.close();

  const seconds = elapsedMs / 1000;
  return {
    ...summarize(histogram),
    requests: completed,
    errors,
    firstError,
    elapsedMs,
    totalMs: performance.now() - startedAt,
    rps: completed / seconds,
    serverCpuUs: cpuEnd - cpuStart,
    serverCpuUsPerRequest: completed > 0 ? (cpuEnd - cpuStart) / completed : Number.NaN,
    serverCoreOtherPct: coreEnd ? otherLoadPercent(coreStart, coreEnd, cpuEnd - cpuStart) : Number.NaN,
    clientCpuUsPerRequest: completed > 0 ? (ownCpu.user + ownCpu.system) / completed : Number.NaN,
    timedOut: once && completed + errors < requests.length,
  };

  function nextRequest() {
    if (stopping || sent >= maxRequests) return undefined;
    return requests[sent++ % requests.length];
  }

  function http1Slot() {
    let conn;
    let began = 0;
    let retries = 0;
    const connect = () => {
      conn = new Http1Connection(
        spec,
        (status, text) => {
          if (status >= 200 && status < 300) record(began);
          else noteError(`HTTP ${status}: ${text?.slice(text.indexOf("\r\n\r\n") + 4)}`);
          issue();
        },
        (error) => {
          openConnections.delete(conn);
          noteError(error.message);
          // A failed connection is replaced a few times, then the slot gives up.
          if (!stopping && retries++ < 10) setTimeout(connect, 10);
          else slotDone();
        },
      );
      openConnections.add(conn);
      issue();
    };
    const issue = () => {
      const request = nextRequest();
      if (request === undefined) {
        conn.close();
        openConnections.delete(conn);
        return slotDone();
      }
      began = performance.now();
      conn.send(request);
    };
    return connect;
  }

  function h2Slot() {
    const issue = () => {
      const request = nextRequest();
      if (request === undefined) return slotDone();
      const began = performance.now();
      channel.call(request.headers, request.body, (ok, why) => {
        if (ok) record(began);
        else noteError(why);
        issue();
      });
    };
    return issue;
  }
}

const openConnections = new Set();

const spec = JSON.parse(process.argv[2]);
run(spec).then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ type: "result", ...result })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stdout.write(`${JSON.stringify({ type: "error", message: String(error?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
