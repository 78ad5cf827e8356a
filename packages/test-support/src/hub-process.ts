import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as net from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The hub's command-line entry point, built by `turbo run build --filter=@hub/hub`. */
export const hubMain = fileURLToPath(new URL("../../../apps/hub/dist/main.js", import.meta.url));

/** A real hub in a child process. */
export interface HubProcess {
  readonly url: string;
  readonly port: number;
  /** Kills it at once (SIGKILL), as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
  /** Stops it gracefully (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** How to start a hub. */
export interface StartHubOptions {
  /** Default: 0 (the OS picks a free one). */
  readonly port?: number;
  /** Default: "memory". */
  readonly storage?: "memory" | "sqlite";
  /** Required for sqlite. */
  readonly dataDir?: string;
  /** More flags, e.g. `["--cors-allowed-origins", "*"]`. */
  readonly args?: readonly string[];
}

// Fast health checks so status changes show within a second. Two failures in a row mark an
// instance unhealthy, so one probe slowed past its timeout by a busy machine (the test suites run
// in parallel) does not flip a healthy instance and fail a test that expects it recommended.
const fastChecks = [
  "--check-interval-seconds",
  "0.2",
  "--check-timeout-seconds",
  "0.19",
  "--check-rise",
  "1",
  "--check-fall",
  "2",
];

/**
 * Starts `node apps/hub/dist/main.js` on 127.0.0.1 and resolves with its URL once it logs
 * `"hub listening"`.
 */
export async function startHub(options: StartHubOptions = {}): Promise<HubProcess> {
  if (!existsSync(hubMain)) {
    throw new Error(`${hubMain} is missing: build the hub first (npx turbo run build --filter=@hub/hub)`);
  }
  const args = [
    hubMain,
    "--host",
    "127.0.0.1",
    "--port",
    String(options.port ?? 0),
    "--storage",
    options.storage ?? "memory",
    "--log-level",
    "info",
    ...(options.dataDir === undefined ? [] : ["--data-dir", options.dataDir]),
    ...fastChecks,
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  try {
    const listening = await new Promise<{ url: string; port: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the hub did not start in time: ${stderr}`)), 15_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the hub exited with ${code}: ${stderr}`));
      });
      lines.on("line", (line) => {
        const record = parseJson(line);
        if (record?.msg === "hub listening") {
          clearTimeout(timer);
          resolve({ url: String(record.url), port: Number(record.port) });
        }
      });
    });
    return {
      ...listening,
      kill: () => end(child, "SIGKILL", exited),
      stop: () => end(child, "SIGTERM", exited),
    };
  } catch (error) {
    await end(child, "SIGKILL", exited);
    throw error;
  }
}

async function end(child: ChildProcess, signal: NodeJS.Signals, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  await exited;
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A TCP port that was free a moment ago, for a hub that must come back on the same port. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
