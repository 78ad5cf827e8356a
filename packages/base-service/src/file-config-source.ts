import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import type { TimerHandle } from "@hub/client";
import type { ConfigSource } from "./config-source.js";
import { ConfigSubscribers } from "./config-subscribers.js";
import { type FileConfigSourceOptions, resolveFileConfigSourceOptions } from "./options.js";
import { describeValidationError } from "./validation-issues.js";

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
  let watcher: FSWatcher | undefined;
  let timer: TimerHandle | undefined;
  let loading: Promise<void> | undefined;
  let reloadAgain = false;
  const subscribers: ConfigSubscribers<T, string> = new ConfigSubscribers(file, {
    start: () => start(),
    stop: () => stop(),
  });

  const loadOnce = async (): Promise<void> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      subscribers.forgetRejected();
      subscribers.reject(
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); keeping the previous config`,
        error,
      );
      return;
    }
    if (subscribers.isKnown(text)) return;
    subscribers.offer(
      text,
      () => validate(JSON.parse(text) as unknown),
      (error) =>
        `${error instanceof SyntaxError ? `not valid JSON: ${error.message}` : describeValidationError(error, "config")}; keeping the previous config`,
    );
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
        subscribers.reject(`watching failed (${error.message}); changes are no longer seen`, error),
      );
    } catch (error) {
      subscribers.reject(
        `cannot be watched (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        error,
      );
    }
    void load();
  };

  const stop = () => {
    watcher?.close();
    watcher = undefined;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };

  return { subscribe: (onConfig, onRejected) => subscribers.subscribe(onConfig, onRejected) };
}
