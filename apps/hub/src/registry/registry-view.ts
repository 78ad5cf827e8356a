import type { KeyValue, WatchBatch } from "../store/store.js";
import {
  endpointUrl,
  type Instance,
  type InstanceRecord,
  type InstanceStatus,
  type LastCheck,
} from "./instance.js";
import { parseRegistryKey } from "./keys.js";
import { RecordInterner } from "./record-interner.js";
import { decodeRecord } from "./stored-record.js";

/** The damped outcome of active checks, as stored under checks/{name}/{id}. */
export interface StoredCheckStatus {
  readonly status: Exclude<InstanceStatus, "unknown">;
  readonly message: string;
  readonly since: number;
}

/** A change the view applied, for watchers. `instance` is undefined for deletions. */
export interface ViewChange {
  readonly revision: number;
  readonly name: string;
  readonly id: string;
  readonly instance: Instance | undefined;
  /** The instance as it was before this change; undefined when it is new. */
  readonly previous: Instance | undefined;
}

/** What the registry's own bookkeeping needs of a stored instance. */
export interface StoredInstance {
  readonly record: InstanceRecord;
  /** The revision that last wrote the record: writes conditional on "still this registration" compare it. */
  readonly recordRevision: number;
  /** The lease of the instance's alive key; 0 while the key is absent (the TTL lapsed). */
  readonly aliveLease: number;
  readonly check: StoredCheckStatus | undefined;
}

interface InstanceState {
  record: InstanceRecord | undefined;
  recordRevision: number;
  aliveLease: number;
  check: StoredCheckStatus | undefined;
  load: number;
  lastCheck: LastCheck | undefined;
  lastHeartbeatAt: number | undefined;
  leaseExpiresAt: number;
  /** The record's endpoint URL, built once per record rather than per snapshot (every heartbeat). */
  endpoint: string;
  snapshot: Instance | undefined;
}

/** The instances of one service, with lists derived on change so reads never sort or scan. */
export interface ServiceEntry {
  readonly name: string;
  readonly states: Map<string, InstanceState>;
  /** Every live instance: healthy first, then degraded, unknown, unhealthy; by id within a status. */
  ordered: readonly Instance[];
  healthy: readonly Instance[];
  /** Changes with every change to the service, unique across services and reloads, so answers derived from it can be cached. */
  generation: number;
}

const statusRank: Record<InstanceStatus, number> = { healthy: 0, degraded: 1, unknown: 2, unhealthy: 3 };

/**
 * The in-memory registry every read is answered from. It is fed only by store watch batches
 * (and by in-memory-only facts such as load), so every replica over the same store converges.
 */
export class RegistryView {
  private readonly services = new Map<string, ServiceEntry>();
  private revisionSeen = 0;
  private readonly interner = new RecordInterner();
  private generations = 0;

  constructor(private readonly now: () => number) {}

  get revision(): number {
    return this.revisionSeen;
  }

  /** Replaces the whole view with a range read of the registry prefix. */
  load(kvs: readonly KeyValue[], revision: number): void {
    this.services.clear();
    for (const kv of kvs) this.applyKey(kv, true);
    for (const service of this.services.values()) {
      for (const state of service.states.values()) this.refresh(state);
      this.rebuild(service);
    }
    this.revisionSeen = revision;
  }

  /** Applies one committed revision; returns the instances whose visible state changed. */
  apply(batch: WatchBatch): ViewChange[] {
    const touched = new Map<string, { service: ServiceEntry; id: string; previous: Instance | undefined }>();
    for (const event of batch.events) {
      const parsed = parseRegistryKey(event.kv.key);
      const touchedKey = parsed && `${parsed.name}/${parsed.id}`;
      const previous =
        touchedKey && !touched.has(touchedKey) ? this.getInstance(parsed.name, parsed.id) : undefined;
      const hit = this.applyKey(event.kv, event.type === "put");
      if (hit && touchedKey && !touched.has(touchedKey))
        touched.set(touchedKey, { service: hit.service, id: hit.id, previous });
    }
    this.revisionSeen = batch.revision;
    const changes: ViewChange[] = [];
    const services = new Set<ServiceEntry>();
    for (const { service, id, previous } of touched.values()) {
      services.add(service);
      const state = service.states.get(id);
      const instance = state?.record ? this.refresh(state) : undefined;
      if (state && !state.record && state.aliveLease === 0 && !state.check) service.states.delete(id);
      changes.push({ revision: batch.revision, name: service.name, id, instance, previous });
    }
    for (const service of services) this.rebuild(service);
    return changes;
  }

  /** In-memory facts that are not worth a store write: load, heartbeat time, last check. */
  updateLiveState(
    name: string,
    id: string,
    update: { load?: number; lastHeartbeatAt?: number; leaseExpiresAt?: number; lastCheck?: LastCheck },
  ): Instance | undefined {
    const service = this.services.get(name);
    const state = service?.states.get(id);
    if (!service || !state?.record) return undefined;
    if (update.load !== undefined) state.load = update.load;
    if (update.lastHeartbeatAt !== undefined) state.lastHeartbeatAt = update.lastHeartbeatAt;
    if (update.leaseExpiresAt !== undefined) state.leaseExpiresAt = update.leaseExpiresAt;
    if (update.lastCheck !== undefined) state.lastCheck = update.lastCheck;
    const previous = state.snapshot;
    const instance = this.refresh(state);
    // Live facts never change the order (status does, and it comes through the store), so the
    // new snapshot takes the old one's place instead of re-sorting the service on every heartbeat
    // and check. Only load is part of discovery answers, so only load invalidates cached ones.
    if (previous && instance) {
      replaceIn(service.ordered, previous, instance);
      replaceIn(service.healthy, previous, instance);
      if (update.load !== undefined && update.load !== previous.load) service.generation = ++this.generations;
    } else {
      this.rebuild(service);
    }
    return instance;
  }

  getService(name: string): ServiceEntry | undefined {
    const service = this.services.get(name);
    return service && service.ordered.length > 0 ? service : undefined;
  }

  getInstance(name: string, id: string): Instance | undefined {
    return this.services.get(name)?.states.get(id)?.snapshot;
  }

  /** Live stored facts of an instance, for the registry's own bookkeeping. */
  getStored(name: string, id: string): StoredInstance | undefined {
    const state = this.services.get(name)?.states.get(id);
    if (!state?.record) return undefined;
    const { record, recordRevision, aliveLease, check } = state;
    return { record, recordRevision, aliveLease, check };
  }

  /** Services with at least one instance, sorted by name. */
  listServices(): ServiceEntry[] {
    return [...this.services.values()]
      .filter((s) => s.ordered.length > 0)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  instanceCount(): number {
    let count = 0;
    for (const service of this.services.values()) count += service.ordered.length;
    return count;
  }

  /** Applies a key's new value (`present`) or its deletion. */
  private applyKey(kv: KeyValue, present: boolean): { service: ServiceEntry; id: string } | undefined {
    const parsed = parseRegistryKey(kv.key);
    if (!parsed) return undefined;
    let service = this.services.get(parsed.name);
    if (!service) {
      service = { name: parsed.name, states: new Map(), ordered: [], healthy: [], generation: 0 };
      this.services.set(parsed.name, service);
    }
    let state = service.states.get(parsed.id);
    if (!state) {
      state = {
        record: undefined,
        recordRevision: 0,
        aliveLease: 0,
        check: undefined,
        load: 0,
        lastCheck: undefined,
        lastHeartbeatAt: undefined,
        leaseExpiresAt: 0,
        endpoint: "",
        snapshot: undefined,
      };
      service.states.set(parsed.id, state);
    }
    switch (parsed.kind) {
      case "instances": {
        const previous = state.record;
        state.record = present ? decodeRecord(kv.value, service.name, parsed.id, this.interner) : undefined;
        state.recordRevision = state.record ? kv.modRevision : 0;
        state.endpoint = state.record
          ? endpointUrl(state.record.protocol, state.record.host, state.record.port)
          : "";
        // A fresh record (new registration, or first sight after a restart) starts a lease period.
        if (
          state.record &&
          (previous?.removalLease !== state.record.removalLease || state.leaseExpiresAt === 0)
        ) {
          state.leaseExpiresAt = this.now() + state.record.ttlMs;
        }
        if (!state.record) state.lastCheck = undefined;
        break;
      }
      case "alive":
        // The key's own lease is the alive lease (its value is not needed, and earlier versions
        // wrote the same number into it).
        state.aliveLease = present ? kv.lease : 0;
        break;
      case "checks":
        state.check = present ? (parseJson(kv.value) as StoredCheckStatus | undefined) : undefined;
        break;
    }
    return { service, id: parsed.id };
  }

  private refresh(state: InstanceState): Instance | undefined {
    const record = state.record;
    if (!record) {
      state.snapshot = undefined;
      return undefined;
    }
    const { status, message } = deriveStatus(record, state);
    state.snapshot = {
      record,
      id: record.id,
      weight: record.weight,
      status,
      statusMessage: message,
      load: state.load,
      lastCheck: state.lastCheck,
      lastHeartbeatAt: state.lastHeartbeatAt,
      leaseExpiresAt: state.leaseExpiresAt,
      endpoint: state.endpoint,
    };
    return state.snapshot;
  }

  private rebuild(service: ServiceEntry): void {
    const live: Instance[] = [];
    for (const state of service.states.values())
      if (state.snapshot && state.record) live.push(state.snapshot);
    live.sort((a, b) => statusRank[a.status] - statusRank[b.status] || (a.record.id < b.record.id ? -1 : 1));
    service.ordered = live;
    service.healthy = live.filter((i) => i.status === "healthy");
    service.generation = ++this.generations;
  }
}

/**
 * Status rules, in order: a lapsed lease (no alive key) is unhealthy whatever the checks said;
 * an instance without active checks is healthy while its lease holds; otherwise the damped
 * check result decides, and `unknown` until the first check has.
 */
function deriveStatus(
  record: InstanceRecord,
  state: InstanceState,
): { status: InstanceStatus; message: string } {
  if (state.aliveLease === 0)
    return {
      status: "unhealthy",
      message: `lease expired: no heartbeat or passing check for ${record.ttlMs / 1000}s`,
    };
  if (record.healthCheck.disabled) return { status: "healthy", message: "" };
  if (!state.check) return { status: "unknown", message: "waiting for the first health check" };
  return { status: state.check.status, message: state.check.message };
}

/** Swaps one element of a derived list in place (the lists are rebuilt, never shared for writing). */
function replaceIn(list: readonly Instance[], previous: Instance, next: Instance): void {
  const index = list.indexOf(previous);
  if (index >= 0) (list as Instance[])[index] = next;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
