import type { ErrorAnalysis, PatternRate, PatternSummary } from "./analysis.js";
import { BoundedMap } from "./bounded-map.js";
import { raiseSeverity } from "./categories.js";
import { ErrorDnaError } from "./error-dna-error.js";
import { type ErrorContext, errorFacts } from "./error-facts.js";
import { PatternMiner } from "./mining/pattern-miner.js";
import {
  type ErrorDnaOptions,
  type ResolvedErrorDnaOptions,
  resolveErrorDnaOptions,
  validateRule,
} from "./options.js";
import { type PatternRecord, PatternStore } from "./pattern-store.js";
import { builtinRules } from "./rules/builtin-rules.js";
import { type Classification, RuleCatalog } from "./rules/rule-catalog.js";
import type { SuggestionRule } from "./rules/suggestion-rule.js";
import { parseStack } from "./stack/parse-stack.js";
import { stackSignature } from "./stack/stack-signature.js";

// The exact-shape cache holds this many entries per kept pattern: one pattern often covers
// several shapes (one per partial value such as host<*> or node-<*>).
const CACHE_ENTRIES_PER_PATTERN = 8;

/**
 * Groups errors into patterns, classifies them and suggests actions, for one service.
 *
 * Patterns are mined online from the messages (values masked, then positions that vary turn into
 * variables) within one scope per error type and stack signature, so the same bug thrown from two
 * deploys groups together while different throw sites stay apart. Memory is bounded by
 * `maxPatterns` and `maxSamplesPerPattern`.
 *
 * @example
 * ```ts
 * const dna = new ErrorDNA("checkout");
 * try { await db.query(sql); } catch (err) {
 *   const { patternId, category, suggestions, spiking } = dna.analyze(err, { route: "/pay" });
 * }
 * ```
 */
export class ErrorDNA {
  /** The service whose errors this instance groups. */
  readonly service: string;
  readonly #options: ResolvedErrorDnaOptions;
  readonly #miner: PatternMiner;
  readonly #store: PatternStore;
  readonly #catalog: RuleCatalog;
  readonly #classifications: BoundedMap<string, Classification>;

  /**
   * @param serviceName names the service in every analysis.
   * @throws {ErrorDnaError} `INVALID_OPTIONS` for an empty service name or bad options (rules included).
   */
  constructor(serviceName: string, options?: ErrorDnaOptions) {
    if (typeof serviceName !== "string" || serviceName.trim() === "") {
      throw new ErrorDnaError("INVALID_OPTIONS", "serviceName: must be a non-empty string");
    }
    this.service = serviceName;
    this.#options = resolveErrorDnaOptions(options);
    const o = this.#options;
    this.#miner = new PatternMiner({
      mergeThreshold: o.mergeThreshold,
      maxTokens: o.maxTokens,
      maxCacheEntries: o.maxPatterns * CACHE_ENTRIES_PER_PATTERN,
    });
    this.#store = new PatternStore({
      maxPatterns: o.maxPatterns,
      maxSamples: o.maxSamplesPerPattern,
      spike: o.spike,
    });
    this.#catalog = new RuleCatalog([...o.rules, ...(o.builtinRules ? builtinRules : [])]);
    this.#classifications = new BoundedMap(o.maxPatterns * CACHE_ENTRIES_PER_PATTERN);
  }

  /**
   * Records one occurrence of an error (an Error, an error-like object or a log message) and
   * returns its pattern, category, severity, suggestions and rates.
   */
  analyze(error: unknown, context?: ErrorContext): ErrorAnalysis {
    const o = this.#options;
    const now = o.clock.now();
    const facts = errorFacts(error, context);
    const stack =
      facts.stack === undefined ? [] : stackSignature(parseStack(facts.stack), o.stackFrames, o.rootDir);
    const mined = this.#miner.add(facts.message, `${facts.name ?? ""}\u0003${stack.join("\u0003")}`);
    for (const merge of mined.merges) this.#store.merge(merge.from, merge.into);
    // Errors of one shape classify alike unless a masked value carried the code or the status.
    const cacheKey = `${mined.fingerprint}\u0003${facts.code}\u0003${facts.status}`;
    let classification = this.#classifications.get(cacheKey);
    if (classification === undefined) {
      classification = this.#catalog.classify(facts, o.maxSuggestions);
      this.#classifications.set(cacheKey, classification);
    }
    const record = this.#store.record(
      mined.patternId,
      { message: facts.message, at: now, context },
      classification,
    );
    for (const evicted of this.#store.evictOverflow(mined.patternId)) this.#miner.remove(evicted);
    const rate = record.rate.snapshot(now);
    return {
      service: this.service,
      fingerprint: mined.fingerprint,
      patternId: mined.patternId,
      template: this.#miner.template(mined.patternId) ?? facts.message,
      errorName: facts.name,
      code: classification.code,
      category: classification.category,
      severity: rate.spiking ? raiseSeverity(classification.severity) : classification.severity,
      suggestions: classification.actions,
      matchedRules: classification.matchedRules,
      occurrences: record.occurrences,
      firstSeen: record.firstSeen,
      lastSeen: record.lastSeen,
      spiking: rate.spiking,
      rate: { recentPerMinute: rate.recentPerMinute, baselinePerMinute: rate.baselinePerMinute },
      stack,
    };
  }

  /** The current patterns, most occurrences first. */
  patterns(): PatternSummary[] {
    const now = this.#options.clock.now();
    return this.#store.all().map((record) => this.#summary(record, now));
  }

  /** One pattern by id (an older id of a merged pattern works too), or undefined. */
  pattern(patternId: string): PatternSummary | undefined {
    const id = this.resolve(patternId);
    const record = id === undefined ? undefined : this.#store.get(id);
    return record === undefined ? undefined : this.#summary(record, this.#options.clock.now());
  }

  /**
   * The current id of a pattern: a pattern merged into another answers with the survivor's id.
   * Undefined once the pattern was evicted (or its merge record forgotten).
   */
  resolve(patternId: string): string | undefined {
    return this.#miner.resolve(patternId);
  }

  /**
   * Adds a suggestion rule, tried before every existing rule; a rule with the same id is replaced.
   * @throws {ErrorDnaError} `INVALID_RULE`, naming the offending fields.
   */
  addRule(rule: SuggestionRule): void {
    this.#catalog.add(validateRule(rule));
    this.#classifications.clear();
  }

  #summary(record: PatternRecord, now: number): PatternSummary {
    const snapshot = record.rate.snapshot(now);
    const rate: PatternRate = {
      recentPerMinute: snapshot.recentPerMinute,
      baselinePerMinute: snapshot.baselinePerMinute,
    };
    const c = record.classification;
    return {
      patternId: record.id,
      template: this.#miner.template(record.id) ?? "",
      category: c.category,
      severity: snapshot.spiking ? raiseSeverity(c.severity) : c.severity,
      suggestions: c.actions,
      occurrences: record.occurrences,
      firstSeen: record.firstSeen,
      lastSeen: record.lastSeen,
      spiking: snapshot.spiking,
      rate,
      samples: [...record.samples],
    };
  }
}
