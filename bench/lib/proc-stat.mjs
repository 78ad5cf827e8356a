import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`, almost always 100). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system, all threads) a process has used so far, in microseconds.
 * @param {number} pid
 */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1e6) / CLK_TCK;
}

/**
 * Resident set size of a process, in bytes.
 * @param {number} pid
 */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/**
 * Busy and total time of one core so far, in clock ticks (/proc/stat; busy excludes idle and
 * iowait, and includes steal, the time a VM's host gave to someone else).
 * @param {string | number} core
 */
export function coreTicks(core) {
  const line = readFileSync("/proc/stat", "latin1")
    .split("\n")
    .find((l) => l.startsWith(`cpu${core} `));
  if (!line) return { busy: Number.NaN, total: Number.NaN };
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * How busy a core was with anything but `pid` between two samples, in percent: the share of a
 * measurement window the server did not have its core to itself.
 * @param {{ busy: number, total: number }} before coreTicks() at the start
 * @param {{ busy: number, total: number }} after coreTicks() at the end
 * @param {number} serverCpuUs the server's CPU time in the window
 */
export function otherLoadPercent(before, after, serverCpuUs) {
  const total = after.total - before.total;
  const other = after.busy - before.busy - (serverCpuUs * CLK_TCK) / 1e6;
  return total > 0 ? Math.max(0, (other / total) * 100) : Number.NaN;
}
