import type { ErrorCategory, Severity } from "../categories.js";

/**
 * When a rule applies. Every kind given must match (AND); any value of a kind may match (OR).
 * A rule with `category` is applied after the category is known and adds generic advice.
 */
export interface RuleMatch {
  /** Error codes, compared exactly: "ECONNREFUSED", "SQLITE_BUSY", "23505". */
  readonly codes?: readonly string[];
  /** HTTP statuses of the failed call. */
  readonly statuses?: readonly number[];
  /** Error type names: "TimeoutError", "ZodError". */
  readonly names?: readonly string[];
  /** Tested against "Name: message" (or the message alone when there is no name). */
  readonly pattern?: RegExp;
  /** Applies to errors already classified in this category. */
  readonly category?: ErrorCategory;
}

/** One entry of the suggestion catalog: what it matches, how it classifies, what to do. */
export interface SuggestionRule {
  /** Unique name, reported in `matchedRules`; a rule with an existing id replaces it. */
  readonly id: string;
  readonly match: RuleMatch;
  /** Category of the errors it matches; the first matching rule with one decides. */
  readonly category?: ErrorCategory;
  /** Severity of the errors it matches; the most urgent of all matching rules wins. */
  readonly severity?: Severity;
  /** Suggested actions, most useful first. */
  readonly actions: readonly string[];
}
