import type { ErrorCategory, Severity } from "./categories.js";
import type { PatternSample } from "./pattern-store.js";

/** Occurrence rates of a pattern. */
export interface PatternRate {
  /** Occurrences per minute in the recent window (`spike.windowMs`). */
  readonly recentPerMinute: number;
  /** Occurrences per minute in the baseline window before it (`spike.baselineMs`). */
  readonly baselinePerMinute: number;
}

/** What `ErrorDNA.analyze` returns. */
export interface ErrorAnalysis {
  /** The service name given to the ErrorDNA. */
  readonly service: string;
  /**
   * Hash of the error's exact shape: type, message with values masked and stack signature.
   * Equal for errors that differ only in values, in every process and deploy.
   */
  readonly fingerprint: string;
  /** The mined pattern the error belongs to now; patterns merge as evidence grows (see `ErrorDNA.resolve`). */
  readonly patternId: string;
  /** The pattern's message template, `<*>` marking variable parts. */
  readonly template: string;
  /** Error type name ("TypeError"), or undefined for a plain message. */
  readonly errorName: string | undefined;
  /** The error code, from the error, the context or the message ("ECONNREFUSED"). */
  readonly code: string | undefined;
  readonly category: ErrorCategory;
  /** The rules' severity, raised one step while the pattern is spiking. */
  readonly severity: Severity;
  /** Suggested actions, most specific first. */
  readonly suggestions: readonly string[];
  /** Ids of the rules that matched. */
  readonly matchedRules: readonly string[];
  /** Occurrences of the pattern so far, this one included. */
  readonly occurrences: number;
  /** Clock time (ms since the epoch) of the pattern's first occurrence. */
  readonly firstSeen: number;
  /** Clock time of the latest occurrence (this one). */
  readonly lastSeen: number;
  /** Whether the recent rate is well above the baseline (see `SpikeOptions`). */
  readonly spiking: boolean;
  readonly rate: PatternRate;
  /** The normalized stack frames in the grouping key, top first. */
  readonly stack: readonly string[];
}

/** A pattern as listed by `ErrorDNA.patterns()`. */
export interface PatternSummary {
  readonly patternId: string;
  readonly template: string;
  /** Category and severity of the latest occurrence. */
  readonly category: ErrorCategory;
  readonly severity: Severity;
  readonly suggestions: readonly string[];
  readonly occurrences: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly spiking: boolean;
  readonly rate: PatternRate;
  /** The newest occurrences, oldest first. */
  readonly samples: readonly PatternSample[];
}
