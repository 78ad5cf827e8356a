import { type InstanceChange, InstanceChange_Kind, type Service } from "@hub/proto";
import { compareInstances, type DiscoveredInstance, instanceFromProto } from "./discovered-instance.js";

/** One service in the cache, with its lists derived on change so reads never sort. */
export interface CachedService {
  readonly name: string;
  /** Every instance: healthy first, then degraded, unknown, unhealthy; by id within a status. */
  readonly instances: readonly DiscoveredInstance[];
  /** The healthy ones, by id. */
  readonly healthy: readonly DiscoveredInstance[];
}

interface Entry {
  readonly byId: Map<string, DiscoveredInstance>;
  view: CachedService;
}

/**
 * The client's copy of the registry, fed by the watch stream: a snapshot replaces it, changes
 * update it. It does not know about time or connections; the watcher tracks staleness.
 * @internal
 */
export class ServiceCache {
  readonly #services = new Map<string, Entry>();
  #revision = 0n;
  #loaded = false;

  /** True once a snapshot has arrived; until then an absent service proves nothing. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** The revision of the last snapshot or change applied; 0 before the first snapshot. */
  get revision(): bigint {
    return this.#revision;
  }

  /** Number of services with at least one instance. */
  get size(): number {
    return this.#services.size;
  }

  /**
   * Replaces everything with a snapshot. Its revision may be lower than the cache's: a hub that
   * restarted on a fresh store counts from zero again, and its snapshot is still the truth.
   */
  replace(revision: bigint, services: readonly Service[]): void {
    this.#services.clear();
    for (const service of services) {
      const byId = new Map<string, DiscoveredInstance>();
      for (const instance of service.instances) {
        const converted = instanceFromProto(service.name, instance);
        byId.set(converted.id, converted);
      }
      if (byId.size > 0) this.#services.set(service.name, { byId, view: derive(service.name, byId) });
    }
    this.#revision = revision;
    this.#loaded = true;
  }

  /**
   * Applies one change. Several changes may share a revision (one store transaction), so only an
   * older revision is skipped, as a replay of something already applied.
   * @returns false when the change was skipped.
   */
  apply(revision: bigint, change: InstanceChange): boolean {
    if (revision < this.#revision) return false;
    this.#revision = revision;
    let entry = this.#services.get(change.name);
    switch (change.kind) {
      case InstanceChange_Kind.UPSERT: {
        if (change.instance === undefined) return false;
        if (entry === undefined) {
          entry = { byId: new Map(), view: { name: change.name, instances: [], healthy: [] } };
          this.#services.set(change.name, entry);
        }
        const next = instanceFromProto(change.name, change.instance, change.instanceId);
        const previous = entry.byId.get(change.instanceId);
        entry.byId.set(change.instanceId, next);
        entry.view = withReplaced(entry.view, previous, next);
        return true;
      }
      case InstanceChange_Kind.DELETE: {
        const previous = entry?.byId.get(change.instanceId);
        if (entry === undefined || previous === undefined) return true;
        entry.byId.delete(change.instanceId);
        if (entry.byId.size === 0) {
          // The hub drops a service with its last instance; so does the cache, so discover says NOT_FOUND.
          this.#services.delete(change.name);
        } else {
          entry.view = withReplaced(entry.view, previous, undefined);
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** The service, or undefined when it has no instance in the cache. */
  get(name: string): CachedService | undefined {
    return this.#services.get(name)?.view;
  }

  /** One instance, or undefined when the cache does not hold it. */
  instance(name: string, id: string): DiscoveredInstance | undefined {
    return this.#services.get(name)?.byId.get(id);
  }

  /** Every cached service, sorted by name. */
  list(): CachedService[] {
    return [...this.#services.values()]
      .map((entry) => entry.view)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/**
 * The service with `previous` taken out and `next` put in, each list kept in order by a binary
 * search instead of a full sort: one change to a service of n instances costs O(n) copying, not
 * n log n comparisons. New arrays, because callers may still hold the old ones.
 */
function withReplaced(
  view: CachedService,
  previous: DiscoveredInstance | undefined,
  next: DiscoveredInstance | undefined,
): CachedService {
  const healthy = (instance: DiscoveredInstance | undefined) =>
    instance?.status === "healthy" ? instance : undefined;
  const touchesHealthy = healthy(previous) !== undefined || healthy(next) !== undefined;
  return {
    name: view.name,
    instances: replaceSorted(view.instances, previous, next),
    healthy: touchesHealthy ? replaceSorted(view.healthy, healthy(previous), healthy(next)) : view.healthy,
  };
}

function replaceSorted(
  list: readonly DiscoveredInstance[],
  remove: DiscoveredInstance | undefined,
  insert: DiscoveredInstance | undefined,
): DiscoveredInstance[] {
  let removeAt = remove === undefined ? -1 : lowerBound(list, remove);
  if (list[removeAt] !== remove) removeAt = -1;
  // Both positions in `list`: an equal instance goes where the removed one was.
  const insertAt = insert === undefined ? -1 : lowerBound(list, insert);
  // One array of the final size, filled in one pass: a copy plus splices would allocate two or
  // three, for every change in every client's cache.
  const out = new Array<DiscoveredInstance>(list.length - (removeAt >= 0 ? 1 : 0) + (insertAt >= 0 ? 1 : 0));
  let next = 0;
  for (let i = 0; i <= list.length; i++) {
    if (i === insertAt) out[next++] = insert!;
    if (i < list.length && i !== removeAt) out[next++] = list[i]!;
  }
  return out;
}

/** The first position whose instance does not sort before `instance`. */
function lowerBound(list: readonly DiscoveredInstance[], instance: DiscoveredInstance): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareInstances(list[mid]!, instance) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function derive(name: string, byId: ReadonlyMap<string, DiscoveredInstance>): CachedService {
  const instances = [...byId.values()].sort(compareInstances);
  return { name, instances, healthy: instances.filter((instance) => instance.status === "healthy") };
}
