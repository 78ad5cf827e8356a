/** What kind of failure an error is; the first matching rule decides, `unknown` when none does. */
export type ErrorCategory =
  | "network"
  | "timeout"
  | "database"
  | "auth"
  | "validation"
  | "resource_exhausted"
  | "dependency"
  | "configuration"
  | "unknown";

/** Every category, in declaration order. */
export const errorCategories: readonly ErrorCategory[] = [
  "network",
  "timeout",
  "database",
  "auth",
  "validation",
  "resource_exhausted",
  "dependency",
  "configuration",
  "unknown",
];

/** How urgent an error pattern is. */
export type Severity = "low" | "medium" | "high" | "critical";

/** Every severity, least urgent first. */
export const severities: readonly Severity[] = ["low", "medium", "high", "critical"];

/** The severity of a category when no matching rule sets one; one row per category. */
export const defaultSeverity: { readonly [C in ErrorCategory]: Severity } = {
  network: "high",
  timeout: "medium",
  database: "high",
  auth: "medium",
  validation: "low",
  resource_exhausted: "critical",
  dependency: "high",
  configuration: "high",
  unknown: "medium",
};

/** The more urgent of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return severities.indexOf(a) >= severities.indexOf(b) ? a : b;
}

/** One step more urgent, capped at `critical`. */
export function raiseSeverity(severity: Severity): Severity {
  return severities[Math.min(severities.indexOf(severity) + 1, severities.length - 1)] as Severity;
}
