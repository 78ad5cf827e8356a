import { type Audience, canSee } from "../discovery/audience.js";
import type { Instance } from "../registry/instance.js";
import type { Registry } from "../registry/registry.js";
import type { ViewChange } from "../registry/registry-view.js";
import { type ServiceSummary, summarizeService } from "./service-summary.js";

export type RegistryWatchEvent =
  | { readonly type: "snapshot"; readonly revision: number; readonly services: readonly ServiceSummary[] }
  | { readonly type: "upsert"; readonly revision: number; readonly instance: Instance }
  | { readonly type: "delete"; readonly revision: number; readonly name: string; readonly id: string };

export interface WatchRegistryOptions {
  readonly names: readonly string[];
  /** Last revision the watcher has; 0 starts with a snapshot. */
  readonly fromRevision: number;
  readonly audience: Audience;
  readonly signal: AbortSignal;
  /** Pending events past which a slow watcher is sent a fresh snapshot instead. Default 10,000. */
  readonly maxQueued?: number;
}

/**
 * A snapshot (or the changes missed since `fromRevision`), then every change, filtered to the
 * requested services and to what the audience may see. A change that makes a shown instance
 * invisible (its tier requirements changed) is sent as a delete; instances the watcher may not
 * see are never named, not even in deletes.
 */
export async function* watchRegistry(
  registry: Registry,
  options: WatchRegistryOptions,
): AsyncGenerator<RegistryWatchEvent> {
  const wanted = options.names.length > 0 ? new Set(options.names) : undefined;
  const maxQueued = options.maxQueued ?? 10_000;
  let queue: RegistryWatchEvent[] = [];
  let needSnapshot = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const toEvent = (change: ViewChange): RegistryWatchEvent | undefined => {
    if (wanted && !wanted.has(change.name)) return undefined;
    if (change.instance && canSee(options.audience, change.instance)) {
      return { type: "upsert", revision: change.revision, instance: change.instance };
    }
    // Only an instance the audience could see before is worth a delete; others stay unnamed.
    if (!change.previous || !canSee(options.audience, change.previous)) return undefined;
    return { type: "delete", revision: change.revision, name: change.name, id: change.id };
  };
  const snapshot = (): RegistryWatchEvent => {
    const services: ServiceSummary[] = [];
    for (const entry of registry.view.listServices()) {
      if (wanted && !wanted.has(entry.name)) continue;
      const summary = summarizeService(entry, options.audience);
      if (summary) services.push(summary);
    }
    return { type: "snapshot", revision: registry.revision, services };
  };

  const unsubscribe = registry.subscribe((changes) => {
    if (changes.length === 0) {
      needSnapshot = true; // the registry reloaded its view: start the watcher over
    } else if (!needSnapshot) {
      for (const change of changes) {
        const event = toEvent(change);
        if (event) queue.push(event);
      }
      if (queue.length > maxQueued) {
        queue = [];
        needSnapshot = true;
      }
    }
    notify();
  });
  const onAbort = () => notify();
  options.signal.addEventListener("abort", onAbort);
  try {
    const missed = options.fromRevision > 0 ? registry.changesSince(options.fromRevision) : undefined;
    if (missed) {
      for (const change of missed) {
        const event = toEvent(change);
        if (event) yield event;
      }
    } else {
      yield snapshot();
    }
    while (!options.signal.aborted) {
      if (needSnapshot) {
        needSnapshot = false;
        queue = [];
        yield snapshot();
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
    unsubscribe();
    options.signal.removeEventListener("abort", onAbort);
  }
}
