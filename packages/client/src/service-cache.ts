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
  /** The sorted lists, derived on the first read after a change (undefined until then). */
  view: CachedService | undefined;
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
      if (byId.size > 0) this.#services.set(service.name, { byId, view: undefined });
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
          entry = { byId: new Map(), view: undefined };
          this.#services.set(change.name, entry);
        }
        entry.byId.set(change.instanceId, instanceFromProto(change.name, change.instance, change.instanceId));
        entry.view = undefined;
        return true;
      }
      case InstanceChange_Kind.DELETE: {
        if (entry === undefined || !entry.byId.delete(change.instanceId)) return true;
        // The hub drops a service with its last instance; so does the cache, so discover says NOT_FOUND.
        if (entry.byId.size === 0) this.#services.delete(change.name);
        else entry.view = undefined;
        return true;
      }
      default:
        return false;
    }
  }

  /** The service, or undefined when it has no instance in the cache. */
  get(name: string): CachedService | undefined {
    const entry = this.#services.get(name);
    return entry === undefined ? undefined : viewOf(name, entry);
  }

  /** One instance, or undefined when the cache does not hold it. */
  instance(name: string, id: string): DiscoveredInstance | undefined {
    return this.#services.get(name)?.byId.get(id);
  }

  /** Every cached service, sorted by name. */
  list(): CachedService[] {
    return [...this.#services]
      .map(([name, entry]) => viewOf(name, entry))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/**
 * The service's lists, sorted once on the first read after a change: a watch-fed cache takes in
 * changes far more often than a burst of them is read, and each change used to cost new lists.
 */
function viewOf(name: string, entry: Entry): CachedService {
  entry.view ??= derive(name, entry.byId);
  return entry.view;
}

function derive(name: string, byId: ReadonlyMap<string, DiscoveredInstance>): CachedService {
  const instances = [...byId.values()].sort(compareInstances);
  return { name, instances, healthy: instances.filter((instance) => instance.status === "healthy") };
}
