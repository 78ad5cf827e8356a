/** Bounds for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. Default 20 000 ms. */
  timeoutMs?: number;
  /** Pause between probes. Default 100 ms. */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined, and returns that. A probe
 * that throws counts as "not yet". Tests wait on conditions with this, never on fixed sleeps.
 * @throws Error naming `description` and the last probe error when the deadline passes.
 */
export async function waitFor<T>(
  description: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? "" : `; last error: ${String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
