import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";

/** Every process group the suite started; all are killed when the suite exits, however it exits. */
const groups = new Set();

/** The core the servers run on, and the one load generators and clients run on. */
export const SERVER_CPU = "0";
export const CLIENT_CPU = "1";

/** True when `taskset` can pin processes to both cores (Linux, util-linux, 2+ cores). */
export const canPin = (() => {
  try {
    return [SERVER_CPU, CLIENT_CPU].every((cpu) => spawnSync("taskset", ["-c", cpu, "true"]).status === 0);
  } catch {
    return false;
  }
})();

/**
 * Starts `command` in its own process group, pinned to `cpu` with taskset when it can be.
 * taskset execs the command, so the returned child's pid is the command's own pid (what
 * /proc/<pid>/stat must be read for). The group is killed when the suite exits.
 * @param {string} cpu
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import("node:child_process").SpawnOptions} [options]
 */
export function spawnPinned(cpu, command, args, options = {}) {
  const [file, argv] = canPin ? ["taskset", ["-c", cpu, command, ...args]] : [command, args];
  const child = spawn(file, argv, { stdio: ["pipe", "pipe", "inherit"], ...options, detached: true });
  groups.add(child.pid);
  child.once("exit", () => groups.delete(child.pid));
  return child;
}

/** Starts a Node script pinned to `cpu`. */
export function spawnNode(cpu, script, args = [], options = {}) {
  return spawnPinned(cpu, process.execPath, [...(options.execArgv ?? []), script, ...args], options);
}

/**
 * Stops a child's whole group: SIGTERM, then SIGKILL after `graceMs`.
 * @param {import("node:child_process").ChildProcess} child
 */
export async function stopProcess(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  signalGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  // Whatever the command itself started (none of ours do) goes with its group.
  signalGroup(child.pid, "SIGKILL");
  groups.delete(child.pid);
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every group still running (synchronous, so it works inside an 'exit' handler). */
export function killAll() {
  for (const pid of groups) signalGroup(pid, "SIGKILL");
  groups.clear();
}

process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Yields each JSON line the child prints on stdout (other lines are ignored).
 * @param {import("node:child_process").ChildProcess} child
 */
export function jsonLines(child) {
  const lines = createInterface({ input: child.stdout });
  const listeners = new Set();
  lines.on("line", (line) => {
    // Only parse while someone waits: a hub logging every registration prints 100k lines.
    if (listeners.size === 0 || !line.startsWith("{")) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    for (const listener of listeners) listener(message);
  });
  return {
    /** Resolves with the first message for which `predicate` is true; rejects on exit or timeout. */
    next(predicate, timeoutMs = 60_000, what = "a message") {
      return new Promise((resolve, reject) => {
        const done = (fn, value) => {
          listeners.delete(onMessage);
          child.off("exit", onExit);
          clearTimeout(timer);
          fn(value);
        };
        const onMessage = (message) => predicate(message) && done(resolve, message);
        const onExit = (code, signal) =>
          done(reject, new Error(`process ${child.pid} exited (${signal ?? code}) before ${what}`));
        const timer = setTimeout(
          () => done(reject, new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
          timeoutMs,
        );
        listeners.add(onMessage);
        child.once("exit", onExit);
      });
    },
  };
}
