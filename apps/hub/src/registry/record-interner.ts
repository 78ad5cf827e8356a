import {
  type HealthCheckSettings,
  type Protocol,
  protocols,
  type ResourceTier,
  resourceTiers,
  type Tier,
} from "./instance.js";

const emptyMetadata: Readonly<Record<string, string>> = Object.freeze({});
const noStrings: readonly never[] = Object.freeze([]);

/** Distinct values each table keeps at most; past that, values are kept as parsed (still correct). */
const tableLimit = 1024;

/**
 * Makes the records of many instances share what they have in common: each parsed record would
 * otherwise carry its own copy of the same protocol, path, tier and health-check settings, and its
 * own empty metadata and tag list (about 300 bytes an instance; 30 MB at 100k). Shared values are
 * frozen. Tables are bounded, so a fleet of unusual values costs at most a few thousand entries.
 */
export class RecordInterner {
  private readonly strings = new Map<string, string>();
  private readonly healthChecks = new Map<string, HealthCheckSettings>();
  private readonly tierLists = new Map<string, readonly Tier[]>();

  /** One copy of a string many records repeat (paths, versions, zones, hosts). */
  string(value: string): string {
    return share(this.strings, value, () => value) ?? value;
  }

  protocol(value: Protocol): Protocol {
    return protocols.find((p) => p === value) ?? value;
  }

  resourceTier(value: ResourceTier): ResourceTier {
    return resourceTiers.find((t) => t === value) ?? value;
  }

  metadata(value: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
    return value === undefined || Object.keys(value).length === 0 ? emptyMetadata : value;
  }

  tags(value: readonly string[] | undefined): readonly string[] {
    return value === undefined || value.length === 0 ? noStrings : value;
  }

  tiers(list: readonly Tier[]): readonly Tier[] {
    if (list.length === 0) return noStrings;
    return share(this.tierLists, list.join(","), () => Object.freeze([...list])) ?? list;
  }

  healthCheck(settings: HealthCheckSettings): HealthCheckSettings {
    const { disabled, intervalMs, timeoutMs, rise, fall, grpcService } = settings;
    const key = `${disabled}|${intervalMs}|${timeoutMs}|${rise}|${fall}|${grpcService}`;
    return (
      share(this.healthChecks, key, () =>
        Object.freeze({ disabled, intervalMs, timeoutMs, rise, fall, grpcService }),
      ) ?? settings
    );
  }
}

/** The shared value for `key`, created on first sight; undefined once the table is full. */
function share<V>(table: Map<string, V>, key: string, create: () => V): V | undefined {
  const known = table.get(key);
  if (known !== undefined) return known;
  if (table.size >= tableLimit) return undefined;
  const shared = create();
  table.set(key, shared);
  return shared;
}
