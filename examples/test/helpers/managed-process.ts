import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** One stdout line of a child; `json` is set when the line parsed as a JSON object. */
export interface OutputLine {
  text: string;
  json: Record<string, unknown> | undefined;
}

/** How a child ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process whose output is kept for assertions and diagnostics. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: OutputLine[];
  /** Resolves when the child has exited. */
  readonly exited: Promise<ProcessExit>;
  /** Whether the child has exited. */
  hasExited(): boolean;
  /** Waits for a JSON stdout line matching `predicate`; rejects early if the child exits first. */
  waitForLine(
    predicate: (json: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how the child ended. Safe to call twice. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** The last lines of stdout and stderr, for error messages. */
  tail(): string;
}

/** What {@link spawnManaged} starts. */
export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a child process and keeps its output; the caller must `stop()` it (see ProcessGroup). */
export function spawnManaged(options: SpawnOptions): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: OutputLine[] = [];
  const stderr: string[] = [];
  const listeners = new Set<() => void>();
  let exit: ProcessExit | undefined;

  createInterface({ input: child.stdout! }).on("line", (text) => {
    lines.push({ text, json: parseJson(text) });
    for (const listener of listeners) listener();
  });
  createInterface({ input: child.stderr! }).on("line", (text) => stderr.push(text));

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("error", (error) => {
      stderr.push(`spawn error: ${error.message}`);
      exit = { code: null, signal: null };
      resolve(exit);
      for (const listener of listeners) listener();
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
      for (const listener of listeners) listener();
    });
  });

  const tail = (): string =>
    [
      `--- ${options.name} stdout (last 20) ---`,
      ...lines.slice(-20).map((line) => line.text),
      `--- ${options.name} stderr (last 20) ---`,
      ...stderr.slice(-20),
    ].join("\n");

  return {
    name: options.name,
    child,
    lines,
    exited,
    hasExited: () => exit !== undefined,
    waitForLine(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < lines.length; seen++) {
            const json = lines[seen]?.json;
            if (json !== undefined && predicate(json)) {
              done(() => resolve(json));
              return;
            }
          }
          if (exit !== undefined) {
            done(() =>
              reject(
                new Error(`${options.name} exited (${JSON.stringify(exit)}) before the line\n${tail()}`),
              ),
            );
          }
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(new Error(`${options.name}: no matching line within ${timeoutMs} ms\n${tail()}`)),
            ),
          timeoutMs,
        );
        const done = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (exit !== undefined) return exit;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    tail,
  };
}
