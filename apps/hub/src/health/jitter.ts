/**
 * A stable offset in [0, intervalMs * ratio) derived from `key`. The scheduler adds it once to a
 * target's schedule, so targets registered in the same millisecond probe at spread-out times,
 * and the same key always lands in the same place (reproducible in tests, no Math.random).
 */
export function jitterOffsetMs(key: string, intervalMs: number, ratio: number): number {
  const span = Math.floor(intervalMs * ratio);
  if (span <= 0) return 0;
  return Math.floor((hashKey(key) / 0x1_0000_0000) * span);
}

/**
 * 32-bit FNV-1a with murmur3's final mix: cheap, and the mix spreads keys that differ only in
 * their last characters ("svc-1", "svc-2") over the high bits the offset is read from.
 * Not for anything adversarial.
 */
function hashKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
