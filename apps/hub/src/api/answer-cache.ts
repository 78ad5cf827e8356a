import type { AnswerKey } from "../discovery/discover.js";

interface ScopeSlot<V> {
  generation: number;
  /**
   * Most services are asked for by one audience, so the first one's value is kept inline and only
   * the others get a map: a map per service was about 200 bytes of 10k services' answers.
   */
  audience: string | undefined;
  value: V | undefined;
  others: Map<string, V> | undefined;
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
      slot = { generation: key.generation, audience: undefined, value: undefined, others: undefined };
      this.scopes.set(key.scope, slot);
    } else if (slot.generation !== key.generation) {
      slot.generation = key.generation;
      slot.audience = undefined;
      slot.value = undefined;
      slot.others = undefined;
    }
    if (slot.audience === key.audience) return slot.value!;
    if (slot.audience === undefined) {
      slot.audience = key.audience;
      slot.value = create();
      return slot.value;
    }
    slot.others ??= new Map();
    let value = slot.others.get(key.audience);
    if (value === undefined) {
      value = create();
      slot.others.set(key.audience, value);
    }
    return value;
  }
}
