import { inspect } from "node:util";

export interface WaitForOptions {
  /** Default: 5 000 ms. */
  readonly timeoutMs?: number;
  /** Default: 25 ms. */
  readonly intervalMs?: number;
}

/**
 * Reads `read()` every `intervalMs` until `accept` holds, and returns that value. Fails after
 * `timeoutMs` with what was being waited for and the last value read, instead of sleeping blindly.
 */
export async function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = performance.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await read();
      if (accept(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (performance.now() >= deadline) {
      const seen =
        last === undefined ? "nothing" : inspect("value" in last ? last.value : last.error, { depth: 6 });
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
