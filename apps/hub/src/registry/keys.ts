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

/** Splits a registry key; undefined for keys of other modules. */
export function parseRegistryKey(key: string): ParsedRegistryKey | undefined {
  if (!key.startsWith(registryPrefix)) return undefined;
  const [kind, name, ...rest] = key.slice(registryPrefix.length).split("/");
  if (kind !== "instances" && kind !== "alive" && kind !== "checks") return undefined;
  if (!name || rest.length === 0) return undefined;
  return { kind, name, id: rest.join("/") };
}
