/**
 * Encoded answers by a key that captures everything they depend on (see DiscoveryResult.cacheKey),
 * so the hot path encodes an answer once per registry change instead of once per request.
 * Bounded: when full it starts over, which costs one re-encode per live key.
 */
export class AnswerCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries = 10_000) {}

  getOrCreate(key: string, create: () => V): V {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = create();
    this.entries.set(key, value);
    return value;
  }
}
