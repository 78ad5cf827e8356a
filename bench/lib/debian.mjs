import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const checked = new Map();
let updated = false;

const onPath = (command) =>
  command.startsWith("/")
    ? existsSync(command)
    : spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

/**
 * True when `command` (a name on PATH or an absolute path) is there, installing Debian's
 * `pkg` with apt-get first when it is missing and we are root. Checked once per run.
 * @param {string} command
 * @param {string} pkg
 */
export function ensureDebianPackage(command, pkg) {
  if (checked.has(command)) return checked.get(command);
  if (!onPath(command) && process.getuid?.() === 0 && onPath("apt-get")) {
    process.stderr.write(`bench: installing ${pkg} with apt-get ...\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (!updated) spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    updated = true;
    spawnSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "ignore", env });
  }
  const found = onPath(command);
  checked.set(command, found);
  return found;
}
