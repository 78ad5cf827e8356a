import { type Audience, canSee } from "../discovery/audience.js";
import type { Instance } from "../registry/instance.js";
import type { Registry } from "../registry/registry.js";
import type { ViewChange } from "../registry/registry-view.js";
import { type ServiceSummary, summarizeService } from "./service-summary.js";

export type RegistryWatchEvent =
  | { readonly type: "snapshot"; readonly revision: number; readonly services: readonly ServiceSummary[] }
  | { readonly type: "upsert"; readonly revision: number; readonly instance: Instance }
  | { readonly type: "delete"; readonly revision: number; readonly name: string; readonly id: string };

export interface RegistryWatchOptions {
  readonly names: readonly string[];
  /** Last revision the watcher has; 0 starts with a snapshot. */
  readonly fromRevision: number;
  readonly audience: Audience;
}

/** What a watcher is sent after its first events. */
export interface RegistryWatchListener {
  /** Changes, in order, already filtered for this watcher (never empty). */
  onEvents(events: readonly RegistryWatchEvent[]): void;
  /** The registry reloaded its view: the watcher must start over from {@link RegistryWatch.snapshot}. */
  onReload(): void;
}

/** One open watch: its first events, a way to start over, and a way to stop. */
export interface RegistryWatch {
  /** A snapshot, or the changes missed since `fromRevision` when the registry still has them. */
  readonly initial: readonly RegistryWatchEvent[];
  /** The watcher's view of the registry now. */
  snapshot(): RegistryWatchEvent;
  close(): void;
}

// The event for a change is the same object for every watcher that gets it, so a transport can
// encode each change once and send the same bytes to all of them.
const upserts = new WeakMap<ViewChange, RegistryWatchEvent>();
const deletes = new WeakMap<ViewChange, RegistryWatchEvent>();

function upsertOf(change: ViewChange, instance: Instance): RegistryWatchEvent {
  let event = upserts.get(change);
  if (event === undefined) {
    event = { type: "upsert", revision: change.revision, instance };
    upserts.set(change, event);
  }
  return event;
}

function deleteOf(change: ViewChange): RegistryWatchEvent {
  let event = deletes.get(change);
  if (event === undefined) {
    event = { type: "delete", revision: change.revision, name: change.name, id: change.id };
    deletes.set(change, event);
  }
  return event;
}

/**
 * Opens a watch on the registry: its first events right away, then every change through
 * `listener`, filtered to the requested services and to what the audience may see. A change that
 * makes a shown instance invisible (its tier requirements changed) is sent as a delete; instances
 * the watcher may not see are never named, not even in deletes.
 */
export function openRegistryWatch(
  registry: Registry,
  options: RegistryWatchOptions,
  listener: RegistryWatchListener,
): RegistryWatch {
  const wanted = options.names.length > 0 ? new Set(options.names) : undefined;
  const { audience } = options;

  const toEvent = (change: ViewChange): RegistryWatchEvent | undefined => {
    if (wanted && !wanted.has(change.name)) return undefined;
    if (change.instance && canSee(audience, change.instance)) return upsertOf(change, change.instance);
    // Only an instance the audience could see before is worth a delete; others stay unnamed.
    if (!change.previous || !canSee(audience, change.previous)) return undefined;
    return deleteOf(change);
  };
  const snapshot = (): RegistryWatchEvent => {
    const services: ServiceSummary[] = [];
    for (const entry of registry.view.listServices()) {
      if (wanted && !wanted.has(entry.name)) continue;
      const summary = summarizeService(entry, audience);
      if (summary) services.push(summary);
    }
    return { type: "snapshot", revision: registry.revision, services };
  };

  // Subscribed before the first events are taken, with no await between: nothing falls in a gap.
  const unsubscribe = registry.subscribe((changes) => {
    if (changes.length === 0) {
      listener.onReload();
      return;
    }
    const events: RegistryWatchEvent[] = [];
    for (const change of changes) {
      const event = toEvent(change);
      if (event) events.push(event);
    }
    if (events.length > 0) listener.onEvents(events);
  });
  const missed = options.fromRevision > 0 ? registry.changesSince(options.fromRevision) : undefined;
  const initial: RegistryWatchEvent[] = [];
  if (missed) {
    for (const change of missed) {
      const event = toEvent(change);
      if (event) initial.push(event);
    }
  } else {
    initial.push(snapshot());
  }
  return { initial, snapshot, close: unsubscribe };
}
