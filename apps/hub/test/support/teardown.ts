/**
 * Cleanups registered while a test runs, run last-in first-out after it: start a health
 * target before the hub that probes it, and the hub closes first.
 */
export class Teardown {
  private readonly steps: Array<() => unknown> = [];

  /** Runs `step` at teardown; returns `value` for inline use. */
  defer<T>(value: T, step: (value: T) => unknown): T {
    this.steps.push(() => step(value));
    return value;
  }

  /** Runs every step, newest first, even when one fails; then reports the failures. */
  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "several teardown steps failed");
  }
}
