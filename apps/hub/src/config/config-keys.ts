import { type ConfigScope, scopeFromPath, scopePath } from "./config-scope.js";

/**
 * The config module's key layout in the store:
 * - docs/{scope}: the current document of a scope (a {@link StoredConfig});
 * - history/{scope}: the versions before it, newest first (a JSON array of {@link StoredConfig}),
 *   written in the same transaction as the document so the two never disagree.
 * {scope} is "global", "tiers/{tier}" or "tenants/{tenant id}".
 */
export const configPrefix = "/hub/config/";

export type ConfigKeyKind = "docs" | "history";

export function configKey(kind: ConfigKeyKind, scope: ConfigScope): string {
  return `${configPrefix}${kind}/${scopePath(scope)}`;
}

/** Splits a config key; undefined for keys of other modules. */
export function parseConfigKey(key: string): { kind: ConfigKeyKind; scope: ConfigScope } | undefined {
  if (!key.startsWith(configPrefix)) return undefined;
  const rest = key.slice(configPrefix.length);
  const slash = rest.indexOf("/");
  const kind = rest.slice(0, slash);
  if (kind !== "docs" && kind !== "history") return undefined;
  const scope = scopeFromPath(rest.slice(slash + 1));
  return scope && { kind, scope };
}

/** What docs/{scope} holds. The version is not stored: it is the key's mod revision. */
export interface StoredConfig {
  readonly config: Record<string, unknown>;
  /** Tenant documents only. */
  readonly subscriptionTier?: string;
  /** Milliseconds since the epoch, from the writing hub's clock. */
  readonly updatedAt: number;
}

/** One entry of history/{scope}: a former document with the version it had. */
export interface StoredConfigVersion extends StoredConfig {
  readonly version: number;
  /** True when this version ended by deletion. */
  readonly deleted?: boolean;
}
