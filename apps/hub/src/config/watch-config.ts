import type { ConfigDocuments } from "./config-documents.js";

/** One value a config watcher is sent: `value` undefined means the watched tenant has no config. */
export interface ConfigWatchEvent<T> {
  readonly version: number;
  readonly value: T | undefined;
}

export interface WatchConfigOptions<T> {
  /** Reads the watched value and its version from the view (never from the store). */
  readonly read: () => ConfigWatchEvent<T>;
  /** The version the watcher already has; 0 to be sent the current value in any case. */
  readonly fromVersion: number;
  readonly signal: AbortSignal;
}

/**
 * The current value (unless the watcher already has its version), then a value each time the
 * version changes. Versions are read afresh after every change, so a watcher is always brought
 * to the latest value: changes in quick succession may arrive as their latest value only, and a
 * reconnect from any version never misses the value that is current.
 */
export async function* watchConfig<T>(
  documents: ConfigDocuments,
  options: WatchConfigOptions<T>,
): AsyncGenerator<ConfigWatchEvent<T>> {
  let changed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    changed = true;
    wake?.();
    wake = undefined;
  };
  const unsubscribe = documents.subscribe(notify);
  options.signal.addEventListener("abort", notify);
  try {
    let current = options.read();
    let sent = options.fromVersion;
    if (options.fromVersion === 0 || current.version !== sent) {
      yield current;
      sent = current.version;
    }
    while (!options.signal.aborted) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      changed = false;
      current = options.read();
      if (current.version !== sent) {
        yield current;
        sent = current.version;
      }
    }
  } finally {
    unsubscribe();
    options.signal.removeEventListener("abort", notify);
  }
}
