import { join } from "node:path";
import { EXAMPLES_DIR, PYTHON } from "./paths.js";
import type { ProcessGroup } from "./process-group.js";

/** How a Python example script ended and the JSON summary it printed last. */
export interface PythonResult {
  code: number | null;
  summary: Record<string, unknown> | undefined;
  /** stdout and stderr tails, for assertion messages. */
  output: string;
}

/** Runs `examples/python/<script>` with Debian's python3, giving up (and killing it) after `timeoutMs`. */
export async function runPythonScript(
  group: ProcessGroup,
  script: string,
  args: string[],
  timeoutMs = 45_000,
): Promise<PythonResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };
  // Debian's interpreter must use its own site-packages (python3-httpx, python3-grpcio), not
  // whatever a pyenv shim or virtualenv on this machine points these at.
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  delete env.VIRTUAL_ENV;
  const child = group.spawn({
    name: script,
    command: PYTHON,
    args: [join(EXAMPLES_DIR, "python", script), ...args],
    cwd: EXAMPLES_DIR,
    env,
  });
  const timer = setTimeout(() => void child.stop(1_000), timeoutMs);
  const exit = await child.exited;
  clearTimeout(timer);
  const summary = [...child.lines].reverse().find((line) => line.json !== undefined)?.json;
  return { code: exit.code, summary, output: child.tail() };
}
