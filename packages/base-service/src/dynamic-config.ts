import type { Clock } from "@hub/client";
import type { Logger } from "pino";
import { BaseServiceError } from "./base-service-error.js";
import type { ConfigSource } from "./config-source.js";

/** What {@link DynamicConfig} needs. @internal */
export interface DynamicConfigParts<T> {
  readonly source: ConfigSource<T>;
  readonly onChange: ((config: T, previous: T | undefined) => void | Promise<void>) | undefined;
  readonly clock: Clock;
  /** How long {@link DynamicConfig.start} waits for the first config. */
  readonly timeoutMs: number;
  readonly log: Logger;
}

/**
 * A service's dynamic config: subscribes to the source, applies each config through `onChange`
 * one at a time, in order, and keeps the previous config whenever a new one is rejected (by the
 * source, or by `onChange` throwing).
 * @internal
 */
export class DynamicConfig<T> {
  readonly #parts: DynamicConfigParts<T>;
  #current: T | undefined;
  #chain: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(parts: DynamicConfigParts<T>) {
    this.#parts = parts;
  }

  /** The config last applied; undefined before the first. */
  current(): T | undefined {
    return this.#current;
  }

  /**
   * Subscribes and resolves once the first config is applied.
   * @throws BaseServiceError CONFIG_REJECTED when the first config is rejected or none comes within
   *   the timeout; the signal's reason when `signal` aborts first.
   */
  start(signal: AbortSignal): Promise<void> {
    const { source, clock, timeoutMs, log } = this.#parts;
    return new Promise<void>((resolve, reject) => {
      let waiting = true;
      const settleFirst = (error?: unknown): boolean => {
        if (!waiting) return false;
        waiting = false;
        clock.clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (error === undefined) resolve();
        else reject(error);
        return true;
      };
      const timer = clock.setTimeout(
        () =>
          settleFirst(
            new BaseServiceError(
              "CONFIG_REJECTED",
              `the config source delivered nothing within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      const onAbort = () => settleFirst(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#unsubscribe = source.subscribe(
        (config) => {
          this.#chain = this.#chain.then(async () => {
            settleFirst(await this.#apply(config));
          });
        },
        (error) => {
          if (settleFirst(error)) return;
          log.warn({ err: error }, "config rejected; keeping the previous config");
        },
      );
    });
  }

  /** Unsubscribes from the source. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Applies one config; returns the error when `onChange` refused it (the previous one stays). */
  async #apply(config: T): Promise<BaseServiceError | undefined> {
    const previous = this.#current;
    try {
      await this.#parts.onChange?.(config, previous);
    } catch (error) {
      this.#parts.log.error({ err: error }, "applying the new config failed; keeping the previous config");
      return new BaseServiceError("CONFIG_REJECTED", "onConfigChange refused the config", { cause: error });
    }
    this.#current = config;
    this.#parts.log.info(previous === undefined ? "config loaded" : "config reloaded");
    return undefined;
  }
}
