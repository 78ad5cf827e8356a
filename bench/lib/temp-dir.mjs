import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dirs = new Set();

/** A fresh temporary directory, removed when the suite exits. */
export function tempDir(label) {
  const dir = mkdtempSync(join(tmpdir(), `hub-bench-${label}-`));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

process.once("exit", () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
