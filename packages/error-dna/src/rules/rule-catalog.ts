import { defaultSeverity, type ErrorCategory, maxSeverity, type Severity } from "../categories.js";
import type { ErrorFacts } from "../error-facts.js";
import type { RuleMatch, SuggestionRule } from "./suggestion-rule.js";

/** The outcome of applying the catalog to one error. */
export interface Classification {
  readonly category: ErrorCategory;
  readonly severity: Severity;
  /** Suggested actions, deduplicated, most specific first. */
  readonly actions: readonly string[];
  /** Ids of the rules that matched, in the order they were applied. */
  readonly matchedRules: readonly string[];
  /** The error code, from the error or found in its message. */
  readonly code: string | undefined;
}

/**
 * An ordered, extensible list of suggestion rules. Rules added later are tried before earlier
 * ones, so user rules override the built-in catalog; a rule with an existing id replaces it.
 */
export class RuleCatalog {
  #rules: SuggestionRule[];
  #codes = new Set<string>();

  constructor(rules: readonly SuggestionRule[]) {
    this.#rules = [...rules];
    this.#reindex();
  }

  /** The rules in the order they are tried. */
  get rules(): readonly SuggestionRule[] {
    return this.#rules;
  }

  /** Puts `rule` first (replacing a rule with the same id). */
  add(rule: SuggestionRule): void {
    this.#rules = [rule, ...this.#rules.filter((r) => r.id !== rule.id)];
    this.#reindex();
  }

  /** Classifies an error and collects at most `maxActions` suggestions. */
  classify(facts: ErrorFacts, maxActions: number): Classification {
    // Plain log lines carry no code property; a known code in the text ("connect ECONNREFUSED") counts.
    const code = facts.code ?? this.#codeInMessage(facts.message);
    const subject = {
      ...facts,
      code,
      text: facts.name === undefined ? facts.message : `${facts.name}: ${facts.message}`,
    };
    const matched: SuggestionRule[] = [];
    let category: ErrorCategory | undefined;
    for (const rule of this.#rules) {
      if (rule.match.category !== undefined || !matches(rule.match, subject)) continue;
      matched.push(rule);
      category ??= rule.category;
    }
    const decided = category ?? "unknown";
    for (const rule of this.#rules) {
      if (rule.match.category === decided && matches(rule.match, subject)) matched.push(rule);
    }
    let severity: Severity | undefined;
    for (const rule of matched)
      if (rule.severity !== undefined)
        severity = severity === undefined ? rule.severity : maxSeverity(severity, rule.severity);
    const actions = [...new Set(matched.flatMap((rule) => rule.actions))].slice(0, maxActions);
    return {
      category: decided,
      severity: severity ?? defaultSeverity[decided],
      actions,
      matchedRules: matched.map((r) => r.id),
      code,
    };
  }

  #reindex(): void {
    this.#codes = new Set(this.#rules.flatMap((rule) => rule.match.codes ?? []));
  }

  #codeInMessage(message: string): string | undefined {
    for (const word of message.split(/[^\w-]+/)) if (this.#codes.has(word)) return word;
    return undefined;
  }
}

interface Subject {
  readonly name: string | undefined;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly text: string;
}

function matches(match: RuleMatch, subject: Subject): boolean {
  if (match.codes !== undefined && (subject.code === undefined || !match.codes.includes(subject.code)))
    return false;
  if (
    match.statuses !== undefined &&
    (subject.status === undefined || !match.statuses.includes(subject.status))
  )
    return false;
  if (match.names !== undefined && (subject.name === undefined || !match.names.includes(subject.name)))
    return false;
  // A shared RegExp with the g or y flag keeps lastIndex between calls; reset it so every test starts at 0.
  if (match.pattern !== undefined) {
    match.pattern.lastIndex = 0;
    if (!match.pattern.test(subject.text)) return false;
  }
  return true;
}
