import type { Classification } from "./rules/rule-catalog.js";
import { RateTracker, type SpikeSettings } from "./spike/rate-tracker.js";

/** One remembered occurrence of a pattern. */
export interface PatternSample {
  readonly message: string;
  /** Clock time of the occurrence (ms since the epoch). */
  readonly at: number;
  /** The context passed to `analyze`, if any. */
  readonly context: Readonly<Record<string, unknown>> | undefined;
}

/** What the store keeps per pattern. */
export interface PatternRecord {
  readonly id: string;
  occurrences: number;
  firstSeen: number;
  lastSeen: number;
  readonly samples: PatternSample[];
  readonly rate: RateTracker;
  classification: Classification;
}

/** Bounds of a {@link PatternStore}. */
export interface StoreSettings {
  readonly maxPatterns: number;
  readonly maxSamples: number;
  readonly spike: SpikeSettings;
}

// Share of the capacity that patterns seen more than once may hold; the rest is where new
// patterns prove themselves, so a full store of frequent patterns still admits new ones.
const PROTECTED_SHARE = 0.8;

/**
 * Per-pattern statistics with bounded memory. Eviction is a segmented LRU: patterns seen once
 * wait in a probation segment and are evicted first, least recently seen first; patterns seen
 * again move to a protected segment, whose least recently seen entries drop back to probation
 * when it is over its share. So a flood of one-off messages cannot push out recurring errors.
 */
export class PatternStore {
  readonly #settings: StoreSettings;
  readonly #probation = new Map<string, PatternRecord>();
  readonly #protected = new Map<string, PatternRecord>();

  constructor(settings: StoreSettings) {
    this.#settings = settings;
  }

  get size(): number {
    return this.#probation.size + this.#protected.size;
  }

  get(id: string): PatternRecord | undefined {
    return this.#protected.get(id) ?? this.#probation.get(id);
  }

  /** Every record, most occurrences first. */
  all(): PatternRecord[] {
    return [...this.#protected.values(), ...this.#probation.values()].sort(
      (a, b) => b.occurrences - a.occurrences,
    );
  }

  /** Counts an occurrence of pattern `id` (creating its record) and keeps the sample. */
  record(id: string, sample: PatternSample, classification: Classification): PatternRecord {
    let record = this.get(id);
    if (record === undefined) {
      record = {
        id,
        occurrences: 0,
        firstSeen: sample.at,
        lastSeen: sample.at,
        samples: [],
        rate: new RateTracker(this.#settings.spike),
        classification,
      };
    }
    record.occurrences++;
    record.firstSeen = Math.min(record.firstSeen, sample.at);
    record.lastSeen = Math.max(record.lastSeen, sample.at);
    record.classification = classification;
    record.rate.record(sample.at);
    this.#keepSample(record, sample);
    this.#touch(record);
    return record;
  }

  /** Folds the record of `from` into the record of `into` (the miner merged the patterns). */
  merge(from: string, into: string): void {
    const source = this.get(from);
    if (source === undefined) return;
    this.#delete(from);
    const target = this.get(into);
    if (target === undefined) {
      // Only the absorbed pattern had statistics: they now belong to the surviving id.
      const moved: PatternRecord = { ...source, id: into };
      this.#touch(moved);
      return;
    }
    target.occurrences += source.occurrences;
    target.firstSeen = Math.min(target.firstSeen, source.firstSeen);
    target.lastSeen = Math.max(target.lastSeen, source.lastSeen);
    target.rate.absorb(source.rate);
    const newest = [...target.samples, ...source.samples].sort((a, b) => a.at - b.at);
    target.samples.splice(
      0,
      target.samples.length,
      ...newest.slice(Math.max(0, newest.length - this.#settings.maxSamples)),
    );
    this.#touch(target);
  }

  /** Evicts records beyond `maxPatterns` and returns their ids; `keep` is never evicted. */
  evictOverflow(keep: string): string[] {
    const evicted: string[] = [];
    while (this.size > this.#settings.maxPatterns) {
      const victim = firstKeyExcept(this.#probation, keep) ?? firstKeyExcept(this.#protected, keep);
      if (victim === undefined) break;
      this.#delete(victim);
      evicted.push(victim);
    }
    return evicted;
  }

  #keepSample(record: PatternRecord, sample: PatternSample): void {
    if (this.#settings.maxSamples === 0) return;
    record.samples.push(sample);
    if (record.samples.length > this.#settings.maxSamples) record.samples.shift();
  }

  // Marks the record as just seen and places it in its segment.
  #touch(record: PatternRecord): void {
    this.#delete(record.id);
    if (record.occurrences > 1) {
      this.#protected.set(record.id, record);
      const limit = Math.floor(this.#settings.maxPatterns * PROTECTED_SHARE);
      while (this.#protected.size > limit) {
        const oldest = this.#protected.keys().next();
        if (oldest.done === true) break;
        const demoted = this.#protected.get(oldest.value) as PatternRecord;
        this.#protected.delete(oldest.value);
        this.#probation.set(oldest.value, demoted);
      }
    } else {
      this.#probation.set(record.id, record);
    }
  }

  #delete(id: string): void {
    this.#probation.delete(id);
    this.#protected.delete(id);
  }
}

function firstKeyExcept(map: Map<string, unknown>, keep: string): string | undefined {
  for (const key of map.keys()) if (key !== keep) return key;
  return undefined;
}
