import type { SubscriptionTier } from "../auth/tenant-context.js";
import type { KeyValue, WatchBatch } from "../store/store.js";
import type { ConfigObject } from "./config-limits.js";
import { parseConfigKey, type StoredConfig, type StoredConfigVersion } from "./config-keys.js";
import { type ConfigScope, parseTier, scopePath } from "./config-scope.js";
import { builtinTierDefaults } from "./tier-defaults.js";

/** A config document as the hub answers it. */
export interface ConfigDocument {
  readonly scope: ConfigScope;
  readonly config: ConfigObject;
  /** Tenant documents only. */
  readonly subscriptionTier: SubscriptionTier | undefined;
  /** Store revision of the latest change (write or deletion); 0 for a document never written. */
  readonly version: number;
  /** Milliseconds since the epoch; undefined for a document never written. */
  readonly updatedAt: number | undefined;
}

/** What the view knows about one scope, including the store facts a compare-and-swap needs. */
export interface ScopeState {
  readonly scope: ConfigScope;
  /** The stored document; undefined when there is none (never written, or deleted). */
  stored: StoredConfig | undefined;
  /** Mod revision of docs/{scope}; 0 when absent. */
  docRevision: number;
  /** Former versions, newest first. */
  history: readonly StoredConfigVersion[];
  /** Mod revision of history/{scope}; 0 when absent. */
  historyRevision: number;
}

/**
 * Every config document in memory, fed only by store reads and watch batches, so every replica
 * over one store converges and reads never touch the store.
 *
 * A document's version is the later of its two keys' mod revisions: a write changes both, a
 * deletion removes the document and rewrites its history, so even a deletion moves the version
 * forward, after a restart too.
 */
export class ConfigView {
  private readonly scopes = new Map<string, ScopeState>();
  private revisionSeen = 0;

  get revision(): number {
    return this.revisionSeen;
  }

  /** Replaces the whole view with a range read of the config prefix. */
  load(kvs: readonly KeyValue[], revision: number): void {
    this.scopes.clear();
    for (const kv of kvs) this.applyKey(kv.key, kv.value, kv.modRevision);
    this.revisionSeen = revision;
  }

  /** Applies one committed revision; returns the scopes it changed. */
  apply(batch: WatchBatch): ConfigScope[] {
    const changed = new Map<string, ConfigScope>();
    for (const event of batch.events) {
      const value = event.type === "put" ? event.kv.value : undefined;
      const scope = this.applyKey(event.kv.key, value, batch.revision);
      if (scope) changed.set(scopePath(scope), scope);
    }
    this.revisionSeen = batch.revision;
    return [...changed.values()];
  }

  /** What the view holds for `scope` (an empty state when it holds nothing). */
  state(scope: ConfigScope): Readonly<ScopeState> {
    return this.scopes.get(scopePath(scope)) ?? emptyState(scope);
  }

  /**
   * The document of `scope`: the stored one, else the built-in default (tiers), `{}` (global) or
   * undefined (a tenant without a document).
   */
  document(scope: ConfigScope): ConfigDocument | undefined {
    const state = this.state(scope);
    const version = Math.max(state.docRevision, state.historyRevision);
    if (state.stored) {
      return {
        scope,
        config: state.stored.config,
        subscriptionTier:
          scope.kind === "tenant" ? parseTier(state.stored.subscriptionTier ?? "free") : undefined,
        version,
        updatedAt: state.stored.updatedAt,
      };
    }
    if (scope.kind === "tenant") return undefined;
    const config = scope.kind === "tier" ? builtinTierDefaults[scope.tier] : {};
    return { scope, config, subscriptionTier: undefined, version, updatedAt: undefined };
  }

  /** Former versions of `scope`, newest first. */
  history(scope: ConfigScope): readonly StoredConfigVersion[] {
    return this.state(scope).history;
  }

  /** Version of a tenant scope that may have no document (for watchers of absent tenants). */
  version(scope: ConfigScope): number {
    const state = this.state(scope);
    return Math.max(state.docRevision, state.historyRevision);
  }

  private applyKey(key: string, value: string | undefined, revision: number): ConfigScope | undefined {
    const parsed = parseConfigKey(key);
    if (!parsed) return undefined;
    const path = scopePath(parsed.scope);
    let state = this.scopes.get(path);
    if (!state) {
      state = emptyState(parsed.scope);
      this.scopes.set(path, state);
    }
    const document = value === undefined ? undefined : parseJson(value);
    if (parsed.kind === "docs") {
      state.stored = document as StoredConfig | undefined;
      state.docRevision = document === undefined ? 0 : revision;
    } else {
      state.history = Array.isArray(document) ? (document as StoredConfigVersion[]) : [];
      state.historyRevision = document === undefined ? 0 : revision;
    }
    return parsed.scope;
  }
}

function emptyState(scope: ConfigScope): ScopeState {
  return { scope, stored: undefined, docRevision: 0, history: [], historyRevision: 0 };
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
