import { fileURLToPath } from "node:url";
import { HUB_MAIN, HUB_NODE_FLAGS } from "../lib/paths.mjs";
import { jsonLines, SERVER_CPU, spawnNode, stopProcess } from "../lib/processes.mjs";

const PROBE = fileURLToPath(new URL("./hub-probe.mjs", import.meta.url));

/**
 * Starts the hub binary (apps/hub/dist/main.js) on the server core, with hub-probe.mjs preloaded
 * for event-loop delay and memory figures, and waits for its "hub listening" log line.
 * @param {string[]} flags the hub's own flags, e.g. ["--data-dir", dir]
 */
export async function startHub(flags) {
  const child = spawnNode(SERVER_CPU, HUB_MAIN, ["--host", "127.0.0.1", "--port", "0", ...flags], {
    stdio: ["pipe", "pipe", "inherit"],
    // The hub's own node flags, as its start script runs it. --expose-gc only lets the probe force
    // a full GC before a memory figure. BENCH_HUB_NODE_ARGS adds node flags for a look inside,
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
    execArgv: [
      ...HUB_NODE_FLAGS,
      "--expose-gc",
      "--import",
      PROBE,
      ...(process.env.BENCH_HUB_NODE_ARGS ?? "").split(" ").filter(Boolean),
    ],
  });
  const lines = jsonLines(child);
  const { port } = await lines.next((m) => m.msg === "hub listening", 120_000, "the hub to listen");
  let nextId = 1;
  return {
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    /** Asks the probe inside the hub (see hub-probe.mjs) and resolves with its reply. */
    async command(cmd, timeoutMs = 10_000) {
      const id = nextId++;
      const reply = lines.next(
        (m) => m.type === "probe-reply" && m.id === id,
        timeoutMs,
        `the hub's reply to ${cmd}`,
      );
      child.stdin.write(`${JSON.stringify({ cmd, id })}\n`);
      const message = await reply;
      if (message.error) throw new Error(`hub ${cmd}: ${message.error}`);
      return message;
    },
    /** Stops the hub with SIGTERM (it closes gracefully, flushing its store); SIGKILL after 30 s. */
    stop: () => stopProcess(child, 30_000),
  };
}

/** Starts one of our small server scripts, which print {"type":"ready","port",...} when listening. */
export async function startScript(script, args) {
  const child = spawnNode(SERVER_CPU, script, args, { stdio: ["pipe", "pipe", "inherit"] });
  const ready = await jsonLines(child).next((m) => m.type === "ready", 60_000, `${script} to listen`);
  return { ...ready, pid: child.pid, child, stop: () => stopProcess(child) };
}
