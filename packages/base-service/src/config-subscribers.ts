import { BaseServiceError } from "./base-service-error.js";

interface Subscriber<T> {
  readonly onConfig: (config: T) => void;
  readonly onRejected: ((error: BaseServiceError) => void) | undefined;
}

/**
 * What every {@link ConfigSource} does with the versions its origin produces: start the origin
 * with the first subscriber and stop it with the last, validate each new version, hand a good one
 * to every subscriber (and the current one to late subscribers), and report a bad one while the
 * last good config stays current. A version is known by a key (file text, hub version), so one
 * seen again, good or bad, is not applied or reported twice.
 * @internal
 */
export class ConfigSubscribers<T, K> {
  readonly #subscribers = new Set<Subscriber<T>>();
  #current: { readonly key: K; readonly config: T } | undefined;
  #lastRejected: K | undefined;

  /**
   * @param where names the origin in rejection messages ("config/service.json", "hub config (global)")
   * @param origin started when the first subscriber arrives, stopped when the last one leaves
   */
  constructor(
    private readonly where: string,
    private readonly origin: { start(): void; stop(): void },
  ) {}

  get size(): number {
    return this.#subscribers.size;
  }

  /** True for the current version and for the last rejected one. */
  isKnown(key: K): boolean {
    return key === this.#current?.key || key === this.#lastRejected;
  }

  /**
   * Validates a new version with `parse` and delivers it; when `parse` throws, reports
   * `failure(error)` to every subscriber and keeps the last good config.
   */
  offer(key: K, parse: () => T, failure: (error: unknown) => string): void {
    let config: T;
    try {
      config = parse();
    } catch (error) {
      this.#lastRejected = key;
      this.reject(failure(error), error);
      return;
    }
    this.#lastRejected = undefined;
    this.#current = { key, config };
    for (const subscriber of this.#subscribers) subscriber.onConfig(config);
  }

  /** Reports a problem with the origin to every subscriber (CONFIG_REJECTED). */
  reject(message: string, cause?: unknown): void {
    const error = new BaseServiceError("CONFIG_REJECTED", `${this.where}: ${message}`, { cause });
    for (const subscriber of this.#subscribers) subscriber.onRejected?.(error);
  }

  /** Forgets the last rejected version, so the same content offered again is judged again. */
  forgetRejected(): void {
    this.#lastRejected = undefined;
  }

  /** {@link ConfigSource.subscribe}. */
  subscribe(onConfig: (config: T) => void, onRejected?: (error: BaseServiceError) => void): () => void {
    const subscriber: Subscriber<T> = { onConfig, onRejected };
    this.#subscribers.add(subscriber);
    if (this.#subscribers.size === 1) {
      this.origin.start();
    } else if (this.#current !== undefined) {
      const known = this.#current.config;
      queueMicrotask(() => {
        if (this.#subscribers.has(subscriber)) onConfig(known);
      });
    }
    return () => {
      if (!this.#subscribers.delete(subscriber)) return;
      if (this.#subscribers.size > 0) return;
      this.origin.stop();
      this.#current = undefined;
      this.#lastRejected = undefined;
    };
  }
}
