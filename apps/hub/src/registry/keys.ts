/**
 * The registry's key layout in the store. One instance owns three keys, all under its name:
 * - instances/{name}/{id}: the InstanceRecord, on the instance's removal lease;
 * - alive/{name}/{id}: present while the instance's TTL lease holds (heartbeats renew it);
 * - checks/{name}/{id}: the damped result of active checks, written only when it changes.
 * Lease expiry deletes keys and every replica sees the deletion through its watch, so status
 * changes need no extra messages between replicas.
 */
export const registryPrefix = "/hub/registry/";

export type RegistryKeyKind = "instances" | "alive" | "checks";

export function registryKey(kind: RegistryKeyKind, name: string, id: string): string {
  return `${registryPrefix}${kind}/${name}/${id}`;
}

export interface ParsedRegistryKey {
  readonly kind: RegistryKeyKind;
  readonly name: string;
  readonly id: string;
}

const kinds: readonly RegistryKeyKind[] = ["instances", "alive", "checks"];

/**
 * Splits a registry key; undefined for keys of other modules. (It runs for every key a restart
 * loads, so it finds the slashes instead of splitting and re-joining.)
 */
export function parseRegistryKey(key: string): ParsedRegistryKey | undefined {
  if (!key.startsWith(registryPrefix)) return undefined;
  const kindEnd = key.indexOf("/", registryPrefix.length);
  if (kindEnd < 0) return undefined;
  const kind = kinds.find(
    (k) => k.length === kindEnd - registryPrefix.length && key.startsWith(k, registryPrefix.length),
  );
  if (kind === undefined) return undefined;
  const nameEnd = key.indexOf("/", kindEnd + 1);
  if (nameEnd <= kindEnd + 1) return undefined;
  return { kind, name: key.slice(kindEnd + 1, nameEnd), id: key.slice(nameEnd + 1) };
}
