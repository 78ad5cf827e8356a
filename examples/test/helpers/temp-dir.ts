import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the OS temp dir; `remove()` deletes it and everything in it. */
export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates a temp dir whose name starts with `prefix`. */
export async function createTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
