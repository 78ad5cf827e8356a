import type { StackFrame } from "./parse-stack.js";

/**
 * Normalizes a frame so that the same call site prints the same way on every deploy:
 * line and column numbers are already gone; `file://` and query strings are dropped,
 * dependencies keep only their path below the last `node_modules/` (so store layouts and
 * versions do not matter), app files become relative to `rootDir` (else keep their last three
 * path segments), and digit or hex runs in paths (release folders, bundle hashes) become `<*>`.
 */
export function normalizeFrame(frame: StackFrame, rootDir: string): string {
  const fn = frame.fn === "" ? "<anonymous>" : frame.fn;
  return `${fn} (${normalizeFile(frame.file, rootDir)})`;
}

/** True for frames of the application itself, not of dependencies or the runtime. */
export function isAppFrame(frame: StackFrame): boolean {
  const file = frame.file.replaceAll("\\", "/");
  if (file === "" || file === "native" || file === "<anonymous>") return false;
  if (file.startsWith("node:") || file.startsWith("internal/")) return false;
  return !file.includes("/node_modules/") && !file.startsWith("node_modules/");
}

/**
 * The frames that identify where an error comes from: the first `count` app frames, or the first
 * `count` frames when none belongs to the app.
 */
export function stackSignature(frames: readonly StackFrame[], count: number, rootDir: string): string[] {
  if (count === 0) return [];
  const app = frames.filter(isAppFrame);
  const chosen = (app.length > 0 ? app : frames).slice(0, count);
  return chosen.map((frame) => normalizeFrame(frame, rootDir));
}

function normalizeFile(file: string, rootDir: string): string {
  let path = file
    .replaceAll("\\", "/")
    .replace(/^file:\/\//, "")
    .replace(/[?#].*$/, "");
  if (path.startsWith("node:")) return path;
  const deps = path.lastIndexOf("node_modules/");
  if (deps >= 0) {
    path = path.slice(deps);
  } else {
    const root = rootDir.replaceAll("\\", "/").replace(/\/?$/, "/");
    if (root !== "/" && path.startsWith(root)) path = path.slice(root.length);
    else path = path.split("/").filter(Boolean).slice(-3).join("/");
  }
  return path.replace(/@[^/]*\d[^/]*(?=\/|$)/g, "").replace(/[0-9a-f]*\d[0-9a-f]*/gi, "<*>");
}
