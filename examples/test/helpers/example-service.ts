import type { ManagedProcess } from "./managed-process.js";
import { EXAMPLES_DIR } from "./paths.js";
import type { ProcessGroup } from "./process-group.js";

/** The example services under examples/. */
export type ExampleName = "data-bridge" | "risk-management" | "trading-engine";

/** A running example service. */
export interface ExampleService {
  name: ExampleName;
  port: number;
  /** `http://127.0.0.1:<port>`: the service's own address, which discovery should hand out. */
  url: string;
  process: ManagedProcess;
}

/**
 * Starts one example service on a free port, pointed at the hub, and waits for its
 * `{"msg":"listening","port":N}` line. It heartbeats every second so tests move quickly.
 */
export async function startExampleService(
  group: ProcessGroup,
  name: ExampleName,
  hubUrl: string,
): Promise<ExampleService> {
  const child = group.spawn({
    name,
    command: process.execPath,
    // One node process with tsx as a loader (not the tsx CLI, which would fork a second
    // process), so SIGTERM reaches the service itself.
    args: ["--import", "tsx", `${name}/main.ts`],
    cwd: EXAMPLES_DIR,
    env: { ...process.env, PORT: "0", HUB_URL: hubUrl, HEARTBEAT_INTERVAL_SECONDS: "1" },
  });
  const line = await child.waitForLine((json) => json.msg === "listening" && typeof json.port === "number");
  const port = Number(line.port);
  return { name, port, url: `http://127.0.0.1:${port}`, process: child };
}
