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
