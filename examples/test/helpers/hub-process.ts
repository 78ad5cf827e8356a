import { existsSync } from "node:fs";
import { hubNodeFlags } from "@hub/hub/node-flags";
import type { ManagedProcess } from "./managed-process.js";
import { HUB_BIN } from "./paths.js";
import type { ProcessGroup } from "./process-group.js";

/** A running hub. */
export interface HubProcess {
  /** `http://127.0.0.1:<port>`, from the hub's `"hub listening"` log line. */
  url: string;
  port: number;
  process: ManagedProcess;
}

/** Options of {@link startHub}. */
export interface StartHubOptions {
  dataDir: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default "sqlite", the hub's own default, so restarts keep the registry. */
  storage?: "sqlite" | "memory";
}

/**
 * Health checking tuned for tests: one result is enough to flip status, so tests see changes
 * within a second or two instead of half a minute.
 */
const FAST_CHECKS = [
  "--check-interval-seconds",
  "1",
  "--check-timeout-seconds",
  "0.5",
  "--check-rise",
  "1",
  "--check-fall",
  "1",
  "--default-ttl-seconds",
  "30",
  "--deregister-critical-after-seconds",
  "600",
];

/** Starts the real hub binary on 127.0.0.1 and waits for its `"hub listening"` line. */
export async function startHub(group: ProcessGroup, options: StartHubOptions): Promise<HubProcess> {
  if (!existsSync(HUB_BIN)) {
    throw new Error(`hub not built at ${HUB_BIN}: run \`pnpm turbo run build --filter=@hub/hub...\` first`);
  }
  const args = [
    // As the hub's start script runs it (see apps/hub/API.md, "Running the hub").
    ...hubNodeFlags,
    HUB_BIN,
    "--port",
    String(options.port ?? 0),
    "--host",
    "127.0.0.1",
    "--data-dir",
    options.dataDir,
    "--storage",
    options.storage ?? "sqlite",
    // Every request the hub serves is logged, so a test can show what the hub never saw.
    "--log-level",
    "debug",
    ...FAST_CHECKS,
  ];
  const child = group.spawn({
    name: "hub",
    command: process.execPath,
    args,
    cwd: options.dataDir,
    env: { ...process.env, NODE_ENV: "test" },
  });
  const line = await child.waitForLine(
    (json) => json.msg === "hub listening" && typeof json.url === "string",
  );
  const url = String(line.url);
  return { url, port: Number(new URL(url).port), process: child };
}
