import type { Registry } from "../registry/registry.js";
import { openRegistryWatch, type RegistryWatchEvent, type RegistryWatchOptions } from "./registry-watch.js";

export type { RegistryWatchEvent } from "./registry-watch.js";

export interface WatchRegistryOptions extends RegistryWatchOptions {
  readonly signal: AbortSignal;
  /** Pending events past which a slow watcher is sent a fresh snapshot instead. Default 10,000. */
  readonly maxQueued?: number;
}

/**
 * A registry watch ({@link openRegistryWatch}) as an async iterable, for connect-node's stream
 * handlers: the first events, then every change, until `signal` aborts. A watcher that falls
 * `maxQueued` events behind, or whose registry reloaded, is sent a fresh snapshot instead.
 */
export async function* watchRegistry(
  registry: Registry,
  options: WatchRegistryOptions,
): AsyncGenerator<RegistryWatchEvent> {
  const maxQueued = options.maxQueued ?? 10_000;
  let queue: RegistryWatchEvent[] = [];
  let needSnapshot = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const watch = openRegistryWatch(registry, options, {
    onEvents(events) {
      if (needSnapshot) return;
      for (const event of events) queue.push(event);
      if (queue.length > maxQueued) {
        queue = [];
        needSnapshot = true;
      }
      notify();
    },
    onReload() {
      needSnapshot = true;
      notify();
    },
  });
  const onAbort = () => notify();
  options.signal.addEventListener("abort", onAbort);
  try {
    for (const event of watch.initial) yield event;
    while (!options.signal.aborted) {
      if (needSnapshot) {
        needSnapshot = false;
        queue = [];
        yield watch.snapshot();
        continue;
      }
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const batch = queue;
      queue = [];
      for (const event of batch) yield event;
    }
  } finally {
    watch.close();
    options.signal.removeEventListener("abort", onAbort);
  }
}
