import type { AnswerKey } from "../discovery/discover.js";

interface ScopeSlot<V> {
  generation: number;
  readonly byAudience: Map<string, V>;
}

/**
 * Values derived from one service's state for one audience (encoded answer templates), kept on
 * the side of the view's service entry: a value lives until the service changes or is removed, so
 * the cache holds at most one value per live service and audience and never evicts a hot answer
 * because the registry is large (a bounded LRU over 10k services thrashes under round robin).
 */
export class AnswerCache<V> {
  private readonly scopes = new WeakMap<object, ScopeSlot<V>>();

  getOrCreate(key: AnswerKey, create: () => V): V {
    let slot = this.scopes.get(key.scope);
    if (slot === undefined) {
      slot = { generation: key.generation, byAudience: new Map() };
      this.scopes.set(key.scope, slot);
    } else if (slot.generation !== key.generation) {
      slot.generation = key.generation;
      slot.byAudience.clear();
    }
    let value = slot.byAudience.get(key.audience);
    if (value === undefined) {
      value = create();
      slot.byAudience.set(key.audience, value);
    }
    return value;
  }
}
