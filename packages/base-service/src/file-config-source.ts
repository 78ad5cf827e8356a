import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import type { TimerHandle } from "@hub/client";
import { BaseServiceError } from "./base-service-error.js";
import type { ConfigSource } from "./config-source.js";
import { type FileConfigSourceOptions, resolveFileConfigSourceOptions } from "./options.js";
import { describeValidationError } from "./validation-issues.js";

interface Subscriber<T> {
  readonly onConfig: (config: T) => void;
  readonly onRejected: ((error: BaseServiceError) => void) | undefined;
}

/**
 * A {@link ConfigSource} backed by a JSON file: read when the first subscriber arrives, then again
 * whenever the file changes (`fs.watch`, debounced, so an editor's several writes count once).
 * Each version is parsed and passed through `validate`; a version that fails is reported to
 * `onRejected` and the previous config stays current. Writing the same content again is not a change.
 *
 * The file's directory is watched rather than the file, so replacing the file (write to a temp
 * file, then rename: how editors and config tools save atomically) is seen too.
 *
 * @throws BaseServiceError INVALID_CONFIG for bad options.
 * @example
 * const source = createFileConfigSource({ path: "config/service.json", validate: (v) => RateLimits.parse(v) });
 * const service = new BaseService({ service_name: "api-gateway" }, {
 *   configSource: source,
 *   onConfigChange: (config) => limiter.update(config.rate_limits),
 * });
 */
export function createFileConfigSource<T = Record<string, unknown>>(
  options: FileConfigSourceOptions<T>,
): ConfigSource<T> {
  const { path, validate, debounceMs, clock } = resolveFileConfigSourceOptions(options);
  const file = resolve(path);
  const subscribers = new Set<Subscriber<T>>();
  let watcher: FSWatcher | undefined;
  let timer: TimerHandle | undefined;
  let current: { readonly text: string; readonly config: T } | undefined;
  let lastRejectedText: string | undefined;
  let loading: Promise<void> | undefined;
  let reloadAgain = false;

  const reject = (message: string, cause?: unknown) => {
    const error = new BaseServiceError("CONFIG_REJECTED", `${file}: ${message}`, { cause });
    for (const subscriber of subscribers) subscriber.onRejected?.(error);
  };

  const loadOnce = async (): Promise<void> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      lastRejectedText = undefined;
      reject(
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); keeping the previous config`,
        error,
      );
      return;
    }
    if (text === current?.text || text === lastRejectedText) return;
    let config: T;
    try {
      config = validate(JSON.parse(text) as unknown);
    } catch (error) {
      lastRejectedText = text;
      const reason =
        error instanceof SyntaxError
          ? `not valid JSON: ${error.message}`
          : describeValidationError(error, "config");
      reject(`${reason}; keeping the previous config`, error);
      return;
    }
    lastRejectedText = undefined;
    current = { text, config };
    for (const subscriber of subscribers) subscriber.onConfig(config);
  };

  // One read at a time; a change during a read triggers one more read after it.
  const load = (): Promise<void> => {
    if (loading !== undefined) {
      reloadAgain = true;
      return loading;
    }
    loading = loadOnce().finally(() => {
      loading = undefined;
      if (reloadAgain && subscribers.size > 0) {
        reloadAgain = false;
        void load();
      }
    });
    return loading;
  };

  const scheduleLoad = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = undefined;
      void load();
    }, debounceMs);
  };

  const start = () => {
    try {
      // Not persistent: watching a config file must not keep a process alive that is otherwise done.
      watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(file)) scheduleLoad();
      });
      watcher.on("error", (error) =>
        reject(`watching failed (${error.message}); changes are no longer seen`, error),
      );
    } catch (error) {
      reject(`cannot be watched (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
    }
    void load();
  };

  const stop = () => {
    watcher?.close();
    watcher = undefined;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    current = undefined;
    lastRejectedText = undefined;
  };

  return {
    subscribe(onConfig, onRejected) {
      const subscriber: Subscriber<T> = { onConfig, onRejected };
      subscribers.add(subscriber);
      if (subscribers.size === 1) {
        start();
      } else if (current !== undefined) {
        const known = current.config;
        queueMicrotask(() => {
          if (subscribers.has(subscriber)) onConfig(known);
        });
      }
      return () => {
        if (!subscribers.delete(subscriber)) return;
        if (subscribers.size === 0) stop();
      };
    },
  };
}
