import type { SubscriptionTier } from "../auth/tenant-context.js";
import type { Clock } from "../clock.js";
import { FollowedView } from "../store/followed-view.js";
import { HubError, invalidArgument } from "../errors/hub-error.js";
import type { Store, TxnOp } from "../store/store.js";
import { type ConfigLimits, defaultConfigLimits, validateConfigDocument } from "./config-limits.js";
import { configKey, configPrefix, type StoredConfig, type StoredConfigVersion } from "./config-keys.js";
import { type ConfigScope, describeScope } from "./config-scope.js";
import { type ConfigDocument, ConfigView, type ScopeState } from "./config-view.js";
import { mergePatch } from "./merge-patch.js";

export interface ConfigDocumentsOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Default: {@link defaultConfigLimits}. */
  readonly limits?: ConfigLimits;
  /** Former versions kept per document. Default 20. */
  readonly historyLimit?: number;
  /** Called when the store watch fails; the module reloads its view and carries on. */
  readonly onWatchError?: (error: Error) => void;
}

/** A tenant's effective config: its tier's defaults with its overrides applied. */
export interface TenantConfig {
  readonly tenantId: string;
  readonly subscriptionTier: SubscriptionTier;
  readonly config: Record<string, unknown>;
  /** The later of the tenant document's and its tier document's versions. */
  readonly version: number;
}

export interface PutConfigInput {
  readonly scope: ConfigScope;
  /** Validated here against the limits. */
  readonly config: unknown;
  /** Tenant documents only: required for a new tenant; undefined keeps the current tier. */
  readonly subscriptionTier?: SubscriptionTier | undefined;
  /** Compare-and-swap: write only while the document is at this version (0: absent). */
  readonly expectedVersion?: number | undefined;
}

/** Called after the view applied changes; an empty list means the whole view was reloaded. */
export type ConfigListener = (changed: readonly ConfigScope[]) => void;

// Each attempt waits for the view to catch up with the store first, so contention settles quickly.
const MAX_WRITE_ATTEMPTS = 8;

/**
 * The config documents: the global one, tier defaults and tenant overrides, with versions and a
 * bounded history. Reads come from an in-memory view that the store's watch keeps current; writes
 * are compare-and-swap transactions on the store that resolve once the view shows them, so every
 * hub replica over one store answers the same.
 */
export class ConfigDocuments {
  private readonly view = new ConfigView();
  private readonly followed: FollowedView<ConfigScope>;
  private readonly limits: ConfigLimits;
  private readonly historyLimit: number;

  private constructor(private readonly options: ConfigDocumentsOptions) {
    this.limits = options.limits ?? defaultConfigLimits;
    this.historyLimit = options.historyLimit ?? 20;
    this.followed = new FollowedView(options.store, configPrefix, this.view, options.onWatchError);
  }

  /** Loads every document from the store and follows its changes. */
  static async open(options: ConfigDocumentsOptions): Promise<ConfigDocuments> {
    const documents = new ConfigDocuments(options);
    await documents.followed.start();
    return documents;
  }

  /**
   * The document of `scope`.
   * @throws HubError CONFIG_NOT_FOUND for a tenant without a document.
   */
  get(scope: ConfigScope): ConfigDocument {
    const document = this.view.document(scope);
    if (!document) throw notFound(scope);
    return document;
  }

  /** Like {@link get}, but undefined for a tenant without a document. */
  find(scope: ConfigScope): ConfigDocument | undefined {
    return this.view.document(scope);
  }

  /** The version of `scope`, also for a tenant without a document (its deletion's revision, or 0). */
  version(scope: ConfigScope): number {
    return this.view.version(scope);
  }

  /**
   * A tenant's effective config.
   * @throws HubError CONFIG_NOT_FOUND when the tenant has no document.
   */
  tenantConfig(tenantId: string): TenantConfig {
    const found = this.findTenantConfig(tenantId);
    if (!found) throw notFound({ kind: "tenant", tenantId });
    return found;
  }

  /** Like {@link tenantConfig}, but undefined for a tenant without a document. */
  findTenantConfig(tenantId: string): TenantConfig | undefined {
    const overrides = this.view.document({ kind: "tenant", tenantId });
    if (!overrides?.subscriptionTier) return undefined;
    const tier = overrides.subscriptionTier;
    const defaults = this.get({ kind: "tier", tier });
    return {
      tenantId,
      subscriptionTier: tier,
      config: mergePatch(defaults.config, overrides.config),
      version: Math.max(overrides.version, defaults.version),
    };
  }

  /** Former versions of `scope`, newest first, at most the history limit. */
  history(scope: ConfigScope): ConfigDocument[] {
    return this.view.history(scope).map((entry) => ({
      scope,
      config: entry.config,
      subscriptionTier: scope.kind === "tenant" ? (entry.subscriptionTier as SubscriptionTier) : undefined,
      version: entry.version,
      updatedAt: entry.updatedAt,
    }));
  }

  /**
   * Replaces the document of `input.scope`.
   * @throws HubError INVALID_ARGUMENT for a bad document (naming the path and the limit) or a new
   *   tenant without a tier; VERSION_CONFLICT when `expectedVersion` no longer holds.
   */
  async put(input: PutConfigInput): Promise<ConfigDocument> {
    const config = validateConfigDocument(input.config, this.limits);
    if (input.scope.kind !== "tenant" && input.subscriptionTier !== undefined) {
      throw invalidArgument("subscription_tier", "applies to tenant documents only");
    }
    return this.write(input.scope, input.expectedVersion, (state) => {
      let subscriptionTier: string | undefined;
      if (input.scope.kind === "tenant") {
        subscriptionTier = input.subscriptionTier ?? state.stored?.subscriptionTier;
        if (subscriptionTier === undefined) {
          throw invalidArgument("subscription_tier", "is required for a tenant that has no config yet");
        }
      }
      const stored: StoredConfig = {
        config,
        ...(subscriptionTier === undefined ? {} : { subscriptionTier }),
        updatedAt: this.options.clock.now(),
      };
      return { type: "put", key: configKey("docs", input.scope), value: JSON.stringify(stored) };
    }).then(() => this.get(input.scope));
  }

  /**
   * Deletes the document of `scope`; returns the deletion's version, or 0 when there was none.
   * @throws HubError VERSION_CONFLICT when `expectedVersion` no longer holds.
   */
  async delete(scope: ConfigScope, expectedVersion?: number): Promise<number> {
    return this.write(scope, expectedVersion, (state) =>
      state.stored ? { type: "delete", key: configKey("docs", scope) } : undefined,
    );
  }

  /** Subscribes to applied changes; returns the unsubscribe function. */
  subscribe(listener: ConfigListener): () => void {
    return this.followed.subscribe(listener);
  }

  async close(): Promise<void> {
    this.followed.close();
  }

  /**
   * One compare-and-swap write of a document and its history: `change` turns the current state
   * into the document operation (undefined: nothing to do). A write another replica made first
   * fails the comparison; the view then catches up and the write is tried again on the new state.
   */
  private async write(
    scope: ConfigScope,
    expectedVersion: number | undefined,
    change: (state: Readonly<ScopeState>) => TxnOp | undefined,
  ): Promise<number> {
    const { store } = this.options;
    for (let attempt = 1; ; attempt++) {
      const state = this.view.state(scope);
      checkExpectedVersion(scope, state, expectedVersion);
      const op = change(state);
      if (!op) return 0;
      const docKey = configKey("docs", scope);
      const historyKey = configKey("history", scope);
      const ops: TxnOp[] = [op];
      if (state.stored) {
        const former: StoredConfigVersion = {
          ...state.stored,
          version: state.docRevision,
          ...(op.type === "delete" ? { deleted: true } : {}),
        };
        const history = [former, ...state.history].slice(0, this.historyLimit);
        ops.push({ type: "put", key: historyKey, value: JSON.stringify(history) });
      }
      const { succeeded, revision } = await store.txn({
        compare: [
          { key: docKey, target: "modRevision", op: "==", value: state.docRevision },
          { key: historyKey, target: "modRevision", op: "==", value: state.historyRevision },
        ],
        success: ops,
      });
      if (succeeded) {
        await this.waitForRevision(revision);
        return revision;
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) {
        throw new HubError("UNAVAILABLE", `${describeScope(scope)}: too many concurrent writes; try again`);
      }
      await this.waitForRevision(await store.currentRevision());
    }
  }

  /** Resolves once the view has applied `revision`. */
  private waitForRevision(revision: number): Promise<void> {
    return this.followed.waitFor(revision);
  }
}

function checkExpectedVersion(
  scope: ConfigScope,
  state: Readonly<ScopeState>,
  expected: number | undefined,
): void {
  if (expected === undefined) return;
  const exists = state.stored !== undefined;
  const current = exists ? Math.max(state.docRevision, state.historyRevision) : 0;
  if (expected === current) return;
  const now = exists ? `at version ${current}` : "absent";
  throw new HubError(
    "VERSION_CONFLICT",
    `expected_version: ${describeScope(scope)} is ${now}, not ${expected === 0 ? "absent" : `at version ${expected}`}`,
    { details: { field: "expected_version", current_version: current } },
  );
}

function notFound(scope: ConfigScope): HubError {
  return new HubError("CONFIG_NOT_FOUND", `${describeScope(scope)} has no config`, {
    details: { field: "tenant_id" },
  });
}
