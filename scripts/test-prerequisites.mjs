#!/usr/bin/env node
// Makes sure the system tools the test suite drives are present: Debian's python3 with httpx and
// grpcio (the hub is tested with the clients existing Python services use) and promtool. Installs them with
// apt-get when it can (root on Debian); otherwise says exactly what is missing and how to get it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const python = "/usr/bin/python3";
// prometheus brings promtool, which checks @hub/perf-tracker's exposition format; chromium runs
// @hub/client's browser entry against a real hub.
const debianPackages = ["python3", "python3-httpx", "python3-grpcio", "prometheus", "chromium"];
const requiredFiles = [python, "/usr/bin/promtool", "/usr/bin/chromium"];

function ready() {
  if (!requiredFiles.every((file) => existsSync(file))) return false;
  return spawnSync(python, ["-c", "import httpx, grpc"], { stdio: "ignore" }).status === 0;
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return result.status === 0;
}

if (!ready()) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = existsSync("/usr/bin/apt-get");
  if (isRoot && hasApt) {
    console.log(`test prerequisites: installing ${debianPackages.join(" ")} with apt-get`);
    const ok = run("apt-get", ["update", "-qq"]) && run("apt-get", ["install", "-y", "-qq", ...debianPackages]);
    if (!ok || !ready()) {
      console.error(`test prerequisites: apt-get could not install ${debianPackages.join(" ")}`);
      process.exit(1);
    }
  } else {
    console.error(
      `test prerequisites: one of ${requiredFiles.join(", ")} (or httpx/grpcio for that python) is missing.\n` +
        `Install them with: sudo apt-get install -y ${debianPackages.join(" ")}`,
    );
    process.exit(1);
  }
}
