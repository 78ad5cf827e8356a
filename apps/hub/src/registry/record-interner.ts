import {
  type HealthCheckSettings,
  type InstanceRecord,
  type Protocol,
  protocols,
  type ResourceTier,
  resourceTiers,
  type Tier,
} from "./instance.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const emptyMetadata: Readonly<Record<string, string>> = Object.freeze({});
const noStrings: readonly never[] = Object.freeze([]);

/** Distinct values each table keeps at most; past that, values are kept as parsed (still correct). */
const tableLimit = 1024;

/**
 * Makes the records of many instances share what they have in common: each parsed record would
 * otherwise carry its own copy of the same protocol, path, tier and health-check settings, and its
 * own empty metadata and tag list (about 300 bytes an instance; 30 MB at 100k). Shared values are
 * frozen, and records serialise exactly as before (same keys, same order, same values), which the
 * registry's compare-on-value relies on. Tables are bounded, so a fleet of unusual values costs at
 * most a few thousand entries.
 */
export class RecordInterner {
  private readonly strings = new Map<string, string>();
  private readonly healthChecks = new Map<string, HealthCheckSettings>();
  private readonly tierLists = new Map<string, readonly Tier[]>();

  /**
   * Rewrites a freshly parsed record in place to share common values; returns it. `serviceName`
   * and `id` are the strings the view already holds from the record's key.
   */
  intern(parsed: InstanceRecord, serviceName: string, id: string): InstanceRecord {
    const record = parsed as Mutable<InstanceRecord>;
    if (record.name === serviceName) record.name = serviceName;
    if (record.id === id) record.id = id;
    record.protocol = protocols.find((p) => p === record.protocol) ?? (record.protocol as Protocol);
    record.resourceTier =
      resourceTiers.find((t) => t === record.resourceTier) ?? (record.resourceTier as ResourceTier);
    record.healthEndpoint = this.string(record.healthEndpoint);
    record.version = this.string(record.version);
    record.zone = this.string(record.zone);
    if (Object.keys(record.metadata).length === 0) record.metadata = emptyMetadata;
    if (record.tags.length === 0) record.tags = noStrings;
    record.subscriptionRequirements = this.tiers(record.subscriptionRequirements);
    record.healthCheck = this.healthCheck(record.healthCheck);
    return record;
  }

  private string(value: string): string {
    return share(this.strings, value, value, () => value);
  }

  private tiers(list: readonly Tier[]): readonly Tier[] {
    if (list.length === 0) return noStrings;
    return share(this.tierLists, list.join(","), list, () => Object.freeze([...list]));
  }

  private healthCheck(settings: HealthCheckSettings): HealthCheckSettings {
    // Only settings in the order the registry writes them are shared, so sharing never changes
    // a record's serialisation (a record written in another order keeps its own object).
    if (!inWrittenOrder(settings)) return settings;
    const { disabled, intervalMs, timeoutMs, rise, fall, grpcService } = settings;
    const key = `${disabled}|${intervalMs}|${timeoutMs}|${rise}|${fall}|${grpcService}`;
    return share(this.healthChecks, key, settings, () => Object.freeze({ ...settings }));
  }
}

/** The order instance-input.ts writes health-check settings in. */
const writtenOrder: readonly (keyof HealthCheckSettings)[] = [
  "disabled",
  "intervalMs",
  "timeoutMs",
  "rise",
  "fall",
  "grpcService",
];

function inWrittenOrder(settings: HealthCheckSettings): boolean {
  let i = 0;
  for (const key in settings) {
    if (key !== writtenOrder[i++]) return false;
  }
  return i === writtenOrder.length;
}

function share<V>(table: Map<string, V>, key: string, value: V, freeze: () => V): V {
  const known = table.get(key);
  if (known !== undefined) return known;
  if (table.size >= tableLimit) return value;
  const shared = freeze();
  table.set(key, shared);
  return shared;
}
