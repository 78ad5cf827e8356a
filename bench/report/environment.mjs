import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { canPin, CLIENT_CPU, SERVER_CPU } from "../lib/processes.mjs";

/** What the figures were measured on: they are only comparable within one run. */
export function describeEnvironment(profileName) {
  let cpu = "unknown";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {
    // Not Linux.
  }
  let commit = "";
  try {
    const git = (...args) =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    commit = git("rev-parse", "--short", "HEAD");
    // The figures describe the hub as built, which may include uncommitted work.
    if (git("status", "--porcelain", "--", "apps", "packages") !== "") commit += " + uncommitted changes";
  } catch {
    // Not a git checkout.
  }
  return {
    date: new Date().toISOString(),
    cpu,
    cores: availableParallelism(),
    node: process.version,
    profile: profileName,
    pinning: canPin
      ? `server on core ${SERVER_CPU}, load generator on core ${CLIENT_CPU} (taskset)`
      : "none (taskset unavailable)",
    commit,
  };
}
