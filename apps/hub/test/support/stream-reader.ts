/**
 * Reads a server stream message by message with a deadline per message. A read that times out
 * keeps its pending `next()`, so no message is lost to a timed-out race.
 */
export class StreamReader<T> {
  private readonly iterator: AsyncIterator<T>;
  private pending: Promise<IteratorResult<T>> | undefined;

  constructor(stream: AsyncIterable<T>) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** The next message; fails when the stream ends or nothing arrives within `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<T> {
    if (this.pending === undefined) {
      this.pending = this.iterator.next();
      // A read still pending when the test aborts the stream rejects with Canceled: not a failure.
      this.pending.catch(() => {});
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const result = await Promise.race([this.pending, timeout]);
      if (result === "timeout") throw new Error(`no stream message within ${timeoutMs} ms`);
      this.pending = undefined;
      if (result.done) throw new Error("the stream ended");
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads messages until one satisfies `accept`; returns every message read, that one last. */
  async until(accept: (message: T) => boolean, timeoutMs = 5_000): Promise<T[]> {
    const deadline = performance.now() + timeoutMs;
    const seen: T[] = [];
    for (;;) {
      const message = await this.next(Math.max(1, deadline - performance.now()));
      seen.push(message);
      if (accept(message)) return seen;
    }
  }
}
