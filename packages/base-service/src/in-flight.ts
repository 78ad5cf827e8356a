import type { ServerResponse } from "node:http";

/**
 * The requests being answered, so a shutdown can wait for them and cut off the ones still running
 * at its deadline. A request counts from its arrival until its response is finished or its
 * connection closed.
 * @internal
 */
export class InFlightRequests {
  readonly #active = new Map<ServerResponse, AbortController>();
  #waiters: Array<() => void> = [];

  get size(): number {
    return this.#active.size;
  }

  /** Tracks a request; the returned signal aborts when the client goes away or the request is cut off. */
  add(response: ServerResponse): AbortSignal {
    const controller = new AbortController();
    this.#active.set(response, controller);
    response.once("close", () => {
      // Closed before the response finished: the client went away, so the work can stop.
      if (!response.writableFinished) controller.abort(new Error("the client closed the connection"));
      this.#active.delete(response);
      if (this.#active.size === 0) this.#wake();
    });
    return controller.signal;
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Aborts every request still in flight (their handlers see `signal.aborted`). */
  abortAll(reason: unknown): void {
    for (const controller of this.#active.values()) controller.abort(reason);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
