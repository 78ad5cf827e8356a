import { type ManagedProcess, type SpawnOptions, spawnManaged } from "./managed-process.js";

/** Every child a test file starts, so `afterAll` can stop them all even when a test failed. */
export interface ProcessGroup {
  spawn(options: SpawnOptions): ManagedProcess;
  /** Stops every child still running, in parallel, SIGKILLing any that ignore SIGTERM. */
  stopAll(): Promise<void>;
}

/** Creates an empty group. */
export function createProcessGroup(): ProcessGroup {
  const children: ManagedProcess[] = [];
  // Last resort if the test worker itself dies: never leave a hub or service running.
  process.once("exit", () => {
    for (const child of children) if (!child.hasExited()) child.child.kill("SIGKILL");
  });
  return {
    spawn(options) {
      const child = spawnManaged(options);
      children.push(child);
      return child;
    },
    async stopAll() {
      await Promise.all(children.map((child) => child.stop(5_000)));
    },
  };
}
