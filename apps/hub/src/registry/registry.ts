import type { Clock } from "../clock.js";
import { FollowedView } from "../store/followed-view.js";
import { HubError } from "../errors/hub-error.js";
import type { Store, TxnOp } from "../store/store.js";
import { ChangeHistory } from "./change-history.js";
import type { Instance, InstanceStatus, LastCheck } from "./instance.js";
import {
  type InstanceInput,
  parseInstanceId,
  parseServiceName,
  validateInstanceInput,
} from "./instance-input.js";
import { registryKey, registryPrefix } from "./keys.js";
import type { RegistryDefaults, RegistryLimits } from "./registry-options.js";
import { RegistryView, type StoredCheckStatus, type ViewChange } from "./registry-view.js";
import { encodeRecord } from "./stored-record.js";
import { withProperties } from "../with-properties.js";

export interface RegistryOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly limits: RegistryLimits;
  readonly defaults: RegistryDefaults;
  /** Changes kept for watchers that resume from a revision. Default 10,000. */
  readonly historyLimit?: number;
  /** Called when the store watch fails; the registry reloads its view and carries on. */
  readonly onWatchError?: (error: Error) => void;
}

export interface RegisterResult {
  readonly instance: Instance;
  /** False when the registration updated an instance that was already registered. */
  readonly created: boolean;
}

export type ChangeListener = (changes: readonly ViewChange[]) => void;

/**
 * Registration, leases and the in-memory view of every instance. Writes go to the store and
 * come back through its watch into the view, so all replicas over one store agree; a call
 * that writes resolves once its own write is visible in the view.
 */
export class Registry {
  readonly view: RegistryView;
  private readonly history: ChangeHistory;
  private readonly followed: FollowedView<ViewChange>;

  private constructor(private readonly options: RegistryOptions) {
    const view = new RegistryView(() => options.clock.now());
    const history = new ChangeHistory(options.historyLimit ?? 10_000, 0);
    this.view = view;
    this.history = history;
    // The view as the store feeds it, with every change also kept for resuming watchers.
    this.followed = new FollowedView(
      options.store,
      registryPrefix,
      {
        get revision() {
          return view.revision;
        },
        load(kvs, revision) {
          view.load(kvs, revision);
          history.reset(revision);
        },
        apply(batch) {
          const changes = view.apply(batch);
          for (const change of changes) history.append(change);
          return changes;
        },
      },
      options.onWatchError,
    );
  }

  /** Loads the view from the store and follows its changes. */
  static async open(options: RegistryOptions): Promise<Registry> {
    const registry = new Registry(options);
    await registry.followed.start();
    return registry;
  }

  get revision(): number {
    return this.view.revision;
  }

  /**
   * Registers an instance, or updates it when its id is already registered (same name and id).
   * @throws HubError INVALID_ARGUMENT for a bad field, RESOURCE_EXHAUSTED past the per-service limit.
   */
  async register(input: InstanceInput): Promise<RegisterResult> {
    const spec = validateInstanceInput(input, this.options.limits, this.options.defaults);
    const { store, clock } = this.options;
    const existing = this.view.getStored(spec.name, spec.id);
    const service = this.view.getService(spec.name);
    if (!existing && service && service.ordered.length >= this.options.limits.maxInstancesPerService) {
      throw new HubError(
        "RESOURCE_EXHAUSTED",
        `name: service ${spec.name} already has ${service.ordered.length} instances, the limit`,
        { details: { field: "name", limit: this.options.limits.maxInstancesPerService } },
      );
    }
    const removalLease = await store.grantLease(spec.ttlMs + spec.deregisterCriticalAfterMs);
    const aliveLease = await store.grantLease(spec.ttlMs);
    const record = withProperties(spec, {
      registeredAt: existing?.record.registeredAt ?? clock.now(),
      removalLease,
    });
    const ops: TxnOp[] = [
      {
        type: "put",
        key: registryKey("instances", spec.name, spec.id),
        value: encodeRecord(record),
        lease: removalLease,
      },
      {
        type: "put",
        key: registryKey("alive", spec.name, spec.id),
        value: "",
        lease: aliveLease,
      },
    ];
    const sameTarget =
      existing &&
      existing.record.host === record.host &&
      existing.record.port === record.port &&
      existing.record.protocol === record.protocol &&
      existing.record.healthEndpoint === record.healthEndpoint;
    const checksKey = registryKey("checks", spec.name, spec.id);
    if (sameTarget && existing.check) {
      // Same address: what the checks concluded still holds; keep it on the new lease.
      ops.push({ type: "put", key: checksKey, value: JSON.stringify(existing.check), lease: removalLease });
    } else if (existing?.check) {
      ops.push({ type: "delete", key: checksKey });
    }
    const { revision } = await store.txn({ compare: [], success: ops });
    if (existing) {
      // The keys now live on the new leases, so revoking the old ones deletes nothing.
      await store.revokeLease(existing.record.removalLease);
      if (existing.aliveLease !== 0) await store.revokeLease(existing.aliveLease);
    }
    await this.waitForRevision(revision);
    this.view.updateLiveState(spec.name, spec.id, {
      lastHeartbeatAt: clock.now(),
      leaseExpiresAt: clock.now() + spec.ttlMs,
    });
    const instance = this.view.getInstance(spec.name, spec.id);
    if (!instance)
      throw new HubError("UNAVAILABLE", `instance ${spec.id} was removed while registering; register again`);
    return { instance, created: !existing };
  }

  /**
   * Removes an instance now.
   * @throws HubError INSTANCE_NOT_FOUND when it is not registered.
   */
  async deregister(name: string, id: string): Promise<void> {
    const stored = this.requireStored(name, id);
    const { store } = this.options;
    const { revision } = await store.txn({
      compare: [],
      success: (["instances", "alive", "checks"] as const).map((kind) => ({
        type: "delete",
        key: registryKey(kind, name, id),
      })),
    });
    await store.revokeLease(stored.record.removalLease);
    if (stored.aliveLease !== 0) await store.revokeLease(stored.aliveLease);
    await this.waitForRevision(revision);
  }

  /**
   * Renews an instance's lease and records its load.
   * @throws HubError INSTANCE_NOT_FOUND when the hub no longer knows it (the caller should register again).
   */
  async heartbeat(name: string, id: string, load = 0): Promise<{ leaseExpiresAt: number }> {
    if (!Number.isFinite(load) || load < 0) {
      throw new HubError("INVALID_ARGUMENT", "load: must be a finite number >= 0", {
        details: { field: "load" },
      });
    }
    const stored = this.requireStored(name, id);
    await this.renewLeases(name, id);
    const now = this.options.clock.now();
    const leaseExpiresAt = now + stored.record.ttlMs;
    this.view.updateLiveState(name, id, { load, lastHeartbeatAt: now, leaseExpiresAt });
    return { leaseExpiresAt };
  }

  /**
   * Records the outcome of an active check. A passing check proves the instance alive and renews
   * its lease like a heartbeat; a change of the damped status is written to the store.
   */
  async recordCheck(
    name: string,
    id: string,
    lastCheck: LastCheck,
    damped: Exclude<InstanceStatus, "unknown">,
    message: string,
  ): Promise<void> {
    const stored = this.view.getStored(name, id);
    if (!stored) return;
    this.view.updateLiveState(name, id, { lastCheck });
    if (lastCheck.passing) {
      const renewed = await this.renewLeases(name, id).catch(() => false);
      if (renewed)
        this.view.updateLiveState(name, id, {
          leaseExpiresAt: this.options.clock.now() + stored.record.ttlMs,
        });
    }
    if (stored.check?.status === damped) return;
    const value: StoredCheckStatus = { status: damped, message, since: this.options.clock.now() };
    const instanceKey = registryKey("instances", name, id);
    const { revision } = await this.options.store.txn({
      // Only for the registration that was checked: a re-registration may have moved it.
      compare: [{ key: instanceKey, target: "modRevision", op: "==", value: stored.recordRevision }],
      success: [
        {
          type: "put",
          key: registryKey("checks", name, id),
          value: JSON.stringify(value),
          lease: stored.record.removalLease,
        },
      ],
    });
    await this.waitForRevision(revision);
  }

  /** Subscribes to applied changes; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void {
    return this.followed.subscribe(listener);
  }

  /** Changes after `revision`, or undefined when the caller must start from a snapshot. */
  changesSince(revision: number): ViewChange[] | undefined {
    if (revision > this.view.revision) return undefined;
    return this.history.since(revision);
  }

  async close(): Promise<void> {
    this.followed.close();
  }

  /** Resolves once the view has applied `revision`. */
  waitForRevision(revision: number): Promise<void> {
    return this.followed.waitFor(revision);
  }

  private requireStored(name: string, id: string) {
    parseServiceName(name, "name");
    parseInstanceId(id, "instance_id");
    const stored = this.view.getStored(name, id);
    if (!stored)
      throw new HubError("INSTANCE_NOT_FOUND", `instance ${id} of service ${name} is not registered`);
    return stored;
  }

  /** Keeps both leases alive; re-creates the alive key when its lease had lapsed. */
  private async renewLeases(name: string, id: string): Promise<boolean> {
    const { store } = this.options;
    const stored = this.requireStored(name, id);
    const removal = await store.keepAlive(stored.record.removalLease);
    if (!removal)
      throw new HubError("INSTANCE_NOT_FOUND", `instance ${id} of service ${name} is not registered`);
    if (stored.aliveLease !== 0 && (await store.keepAlive(stored.aliveLease))) return true;
    const lease = await store.grantLease(stored.record.ttlMs);
    const { succeeded, revision } = await store.txn({
      compare: [{ key: registryKey("instances", name, id), target: "version", op: ">", value: 0 }],
      success: [
        {
          type: "put",
          key: registryKey("alive", name, id),
          value: "",
          lease,
        },
      ],
    });
    if (!succeeded) {
      await store.revokeLease(lease);
      throw new HubError("INSTANCE_NOT_FOUND", `instance ${id} of service ${name} is not registered`);
    }
    await this.waitForRevision(revision);
    return true;
  }
}
