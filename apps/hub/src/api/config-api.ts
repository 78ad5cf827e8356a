import type { AdminAccess } from "../auth/admin-access.js";
import { authorizeTenantConfigRead } from "../auth/config-access.js";
import type { CallerRequest, SubscriptionTier } from "../auth/tenant-context.js";
import {
  type ConfigDocument,
  type ConfigDocuments,
  type ConfigScope,
  type ConfigWatchEvent,
  type TenantConfig,
  watchConfig,
} from "../config/index.js";
import type { CallerContext } from "./request-context.js";

/** A config write's caller: who it is for, and the raw request the admin check reads. */
export interface ConfigWriter {
  readonly caller: CallerContext;
  readonly request: CallerRequest;
}

/** What a watcher of one document or of a tenant's effective config is sent. */
export type ConfigApiWatchEvent =
  | ({ readonly kind: "document" } & ConfigWatchEvent<ConfigDocument>)
  | ({ readonly kind: "tenant" } & ConfigWatchEvent<TenantConfig>);

/**
 * The config calls both APIs (Connect and plain JSON) make, with their permission checks, so the
 * two can never answer or authorize differently. Tenant documents are private to their tenant
 * (see {@link authorizeTenantConfigRead}); the global and tier documents are public; writes need
 * an admin (see {@link AdminAccess}).
 */
export class ConfigApi {
  constructor(
    private readonly documents: ConfigDocuments,
    private readonly admin: AdminAccess,
  ) {}

  /** @throws HubError PERMISSION_DENIED, CONFIG_NOT_FOUND. */
  get(scope: ConfigScope, caller: CallerContext): ConfigDocument {
    this.authorizeRead(scope, caller);
    return this.documents.get(scope);
  }

  /** @throws HubError PERMISSION_DENIED, CONFIG_NOT_FOUND. */
  tenantConfig(tenantId: string, caller: CallerContext): TenantConfig {
    authorizeTenantConfigRead(caller, tenantId);
    return this.documents.tenantConfig(tenantId);
  }

  /** @throws HubError PERMISSION_DENIED. */
  history(scope: ConfigScope, caller: CallerContext): ConfigDocument[] {
    this.authorizeRead(scope, caller);
    return this.documents.history(scope);
  }

  /**
   * Checks that `writer` may change config, so a transport can refuse before it even reads the
   * body (an unauthenticated caller learns nothing from validation errors).
   * @throws HubError UNAUTHENTICATED, PERMISSION_DENIED.
   */
  authorizeWrite(writer: ConfigWriter, action = "changing config"): void {
    this.admin.authorize(writer.request, action);
  }

  /** @throws HubError UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, VERSION_CONFLICT. */
  put(
    writer: ConfigWriter,
    input: {
      scope: ConfigScope;
      config: unknown;
      subscriptionTier?: SubscriptionTier | undefined;
      expectedVersion?: number | undefined;
    },
  ): Promise<ConfigDocument> {
    this.authorizeWrite(writer);
    return this.documents.put(input);
  }

  /** @throws HubError UNAUTHENTICATED, PERMISSION_DENIED, VERSION_CONFLICT. */
  delete(writer: ConfigWriter, scope: ConfigScope, expectedVersion?: number): Promise<number> {
    this.authorizeWrite(writer, "deleting config");
    return this.documents.delete(scope, expectedVersion);
  }

  /**
   * Watches one document, or (`effective`, tenant scopes only) a tenant's effective config.
   * @throws HubError PERMISSION_DENIED before the first message.
   */
  watch(
    scope: ConfigScope,
    effective: boolean,
    fromVersion: number,
    caller: CallerContext,
    signal: AbortSignal,
  ): AsyncIterable<ConfigApiWatchEvent> {
    this.authorizeRead(scope, caller);
    const { documents } = this;
    const version = <T extends { version: number }>(value: T | undefined) =>
      value?.version ?? documents.version(scope);
    if (effective && scope.kind === "tenant") {
      const read = () => {
        const value = documents.findTenantConfig(scope.tenantId);
        return { version: version(value), value };
      };
      return tagged(watchConfig(documents, { read, fromVersion, signal }), "tenant");
    }
    const read = () => {
      const value = documents.find(scope);
      return { version: version(value), value };
    };
    return tagged(watchConfig(documents, { read, fromVersion, signal }), "document");
  }

  private authorizeRead(scope: ConfigScope, caller: CallerContext): void {
    if (scope.kind === "tenant") authorizeTenantConfigRead(caller, scope.tenantId);
  }
}

async function* tagged<K extends ConfigApiWatchEvent["kind"], T>(
  events: AsyncIterable<ConfigWatchEvent<T>>,
  kind: K,
): AsyncGenerator<ConfigApiWatchEvent> {
  for await (const event of events) yield { kind, ...event } as ConfigApiWatchEvent;
}
