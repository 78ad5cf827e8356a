import { relative } from "node:path";

/** The node flags the hub runs with; API.md, "Running the hub", says why each. */
export const hubNodeFlags = ["--no-memory-reducer", "--max-semi-space-size=4"] as const;

/**
 * The command that runs `script` (the hub's main.js) as its scripts do, with the path as the user
 * would type it from `cwd`.
 */
export function startCommand(script: string, cwd: string): string {
  const path = relative(cwd, script) || script;
  return ["node", ...hubNodeFlags, path].join(" ");
}

/**
 * True when node's command line turns V8's memory reducer off, in any spelling V8 accepts for a
 * boolean flag (`--no-memory-reducer`, `--no_memory_reducer`, `--nomemory-reducer`,
 * `--memory-reducer=false`). See API.md, "Running the hub".
 */
export function memoryReducerOff(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => {
    const flag = arg.replaceAll("_", "-");
    return (
      flag === "--no-memory-reducer" || flag === "--nomemory-reducer" || flag === "--memory-reducer=false"
    );
  });
}
