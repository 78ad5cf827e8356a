// The watch client process: `node loadgen/watch-client.mjs '<json spec>'`. Starts `watchers`
// watchers (raw WatchServices streams, or @hub/client caches), then makes `changes` registrations
// one after the other over one keep-alive HTTP/1.1 connection, timing how long until each watcher
// sees the new instance. Prints one JSON result line.
import { http1Request } from "../lib/wire.mjs";
import { startCacheWatchers } from "./cache-watchers.mjs";
import { createLatencyHistogram, summarize } from "./histogram.mjs";
import { Http1Connection } from "./http1-client.mjs";
import { startStreamWatchers } from "./stream-watchers.mjs";

/**
 * @typedef {object} WatchSpec
 * @property {string} host
 * @property {number} h2Port where the watch streams go
 * @property {number} h1Port where registrations go
 * @property {string} watchPath gRPC method path of the stream
 * @property {string} watchRequest the stream's request message, base64
 * @property {number} watchers
 * @property {number} changes
 * @property {number} [timeoutMs] per change; watchers that have not seen it by then count as missed
 * @property {"stream" | "hub-client"} [observer] raw h2c streams (default) or @hub/client caches
 * @property {string} [idPrefix] of the registered instance ids, so runs against one hub do not collide
 */

/**
 * @typedef {object} Watchers
 * @property {(change: { name: string, id: string }, seen: (watcher: number) => void) => void} expect
 *   from now on, call `seen(w)` once for each watcher `w` that sees the change
 * @property {() => void | Promise<void>} close
 */

/** @param {WatchSpec} spec */
async function run(spec) {
  const timeoutMs = spec.timeoutMs ?? 2000;
  const delivery = createLatencyHistogram();
  const slowest = createLatencyHistogram();
  const registerLatency = createLatencyHistogram();
  let missed = 0;
  const start = spec.observer === "hub-client" ? startCacheWatchers : startStreamWatchers;
  const watchers = await Promise.race([start(spec), timeout(30_000, "the watchers did not start")]);

  let onResponse;
  let onError;
  const conn = new Http1Connection(
    { host: spec.host, port: spec.h1Port },
    (status) => onResponse(status),
    (error) => onError(error),
  );

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < spec.changes; i++) {
    const id = `${spec.idPrefix ?? "w"}-${String(i).padStart(6, "0")}`;
    const body = Buffer.from(
      JSON.stringify({
        name: `watch-${i % 10}`,
        id,
        host: "127.0.0.1",
        port: 20_000 + i,
        ttl_seconds: 3600,
        health_check: { disabled: true },
      }),
    );
    const change = { name: `watch-${i % 10}`, id, began: 0, seen: new Set(), last: 0 };
    const delivered = new Promise((resolve) => {
      watchers.expect(change, (w) => {
        if (change.seen.has(w)) return;
        const us = Math.max(1, Math.round((performance.now() - change.began) * 1000));
        delivery.recordValue(us);
        change.seen.add(w);
        change.last = us;
        if (change.seen.size === spec.watchers) resolve();
      });
    });
    const answered = new Promise((resolve, reject) => {
      onResponse = (status) =>
        status === 200 || status === 201 ? resolve() : reject(new Error(`register: HTTP ${status}`));
      onError = reject;
    });
    change.began = performance.now();
    conn.send(http1Request("POST", "/services/register", { "content-type": "application/json" }, body));
    await answered;
    registerLatency.recordValue(Math.max(1, Math.round((performance.now() - change.began) * 1000)));
    let timer;
    await Promise.race([delivered, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    missed += spec.watchers - change.seen.size;
    if (change.seen.size === spec.watchers) slowest.recordValue(change.last);
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  conn.close();
  await watchers.close();
  return {
    delivery: summarize(delivery),
    slowest: summarize(slowest),
    register: summarize(registerLatency),
    missed,
    elapsedMs,
    // Everything this process did per change: the registration call and every watcher's work.
    clientCpuUsPerChange: (cpu.user + cpu.system) / spec.changes,
  };
}

function timeout(ms, why) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(why)), ms).unref());
}

run(JSON.parse(process.argv[2])).then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ type: "result", ...result })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stdout.write(`${JSON.stringify({ type: "error", message: String(error?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
