import { z } from "zod";
import { type ErrorCategory, errorCategories, type Severity, severities } from "./categories.js";
import { type Clock, systemClock } from "./clock.js";
import { ErrorDnaError } from "./error-dna-error.js";
import type { SuggestionRule } from "./rules/suggestion-rule.js";

/** Spike detection options. */
export interface SpikeOptions {
  /** The recent window. Default: 300000 (5 minutes). */
  readonly windowMs?: number;
  /** The window before it that sets the normal rate. Default: 3600000 (1 hour). */
  readonly baselineMs?: number;
  /** How many times the baseline rate counts as a spike. Default: 3. */
  readonly factor?: number;
  /** Occurrences in the recent window needed before anything is a spike. Default: 5. */
  readonly minCount?: number;
}

/** Options of `new ErrorDNA(service, options)`. */
export interface ErrorDnaOptions {
  /** Time source for first/last seen and spike windows. Default: the system clock (`Date.now`). */
  readonly clock?: Clock;
  /** Patterns kept in memory; beyond it one-off patterns are evicted first, least recently seen first. Default: 1000. */
  readonly maxPatterns?: number;
  /** Newest sample messages kept per pattern. Default: 5. */
  readonly maxSamplesPerPattern?: number;
  /** Distinct words seen at one position of otherwise equal messages before it becomes a variable. Default: 3. */
  readonly mergeThreshold?: number;
  /** Tokens of a message that are compared; the rest of a longer message counts as one variable. Default: 200. */
  readonly maxTokens?: number;
  /** App stack frames that are part of an error's grouping key; 0 groups errors by type and message only. Default: 3. */
  readonly stackFrames?: number;
  /** Directory that stack-frame paths are made relative to. Default: `process.cwd()`. */
  readonly rootDir?: string;
  /** Rules tried before the built-in catalog (earlier entries first). Default: `[]`. */
  readonly rules?: readonly SuggestionRule[];
  /** Whether the built-in rule catalog is used. Default: true. */
  readonly builtinRules?: boolean;
  /** Suggested actions returned per analysis. Default: 5. */
  readonly maxSuggestions?: number;
  /** Spike detection. Defaults: see {@link SpikeOptions}. */
  readonly spike?: SpikeOptions;
}

/** {@link ErrorDnaOptions} with every default applied. */
export interface ResolvedErrorDnaOptions {
  readonly clock: Clock;
  readonly maxPatterns: number;
  readonly maxSamplesPerPattern: number;
  readonly mergeThreshold: number;
  readonly maxTokens: number;
  readonly stackFrames: number;
  readonly rootDir: string;
  readonly rules: readonly SuggestionRule[];
  readonly builtinRules: boolean;
  readonly maxSuggestions: number;
  readonly spike: Required<SpikeOptions>;
}

/** Options of the pino integration (`createErrorDnaMixin`, `createErrorDnaSerializer`). */
export interface PinoIntegrationOptions {
  /** Property that receives the DNA fields. Default: "errorDna". */
  readonly key?: string;
  /** Property of the log object that holds the error (pino's `errorKey`). Default: "err". */
  readonly errorKey?: string;
  /** Lowest pino level number analyzed by the mixin (40 = warn, 50 = error). Default: 50. */
  readonly minLevel?: number;
}

/** {@link PinoIntegrationOptions} with every default applied. */
export type ResolvedPinoIntegrationOptions = Required<PinoIntegrationOptions>;

/** Every default, in one place. */
export const errorDnaDefaults = {
  maxPatterns: 1000,
  maxSamplesPerPattern: 5,
  mergeThreshold: 3,
  maxTokens: 200,
  stackFrames: 3,
  builtinRules: true,
  maxSuggestions: 5,
  spike: { windowMs: 300_000, baselineMs: 3_600_000, factor: 3, minCount: 5 },
  pino: { key: "errorDna", errorKey: "err", minLevel: 50 },
} as const;

const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === "object" && value !== null && typeof (value as { now?: unknown }).now === "function",
  "must be an object with a now() method",
);

const categorySchema = z.enum(errorCategories as [ErrorCategory, ...ErrorCategory[]]);
const severitySchema = z.enum(severities as [Severity, ...Severity[]]);

const ruleMatchSchema = z
  .strictObject({
    codes: z.array(z.string().min(1)).min(1).optional(),
    statuses: z.array(z.int().min(100).max(599)).min(1).optional(),
    names: z.array(z.string().min(1)).min(1).optional(),
    pattern: z.instanceof(RegExp).optional(),
    category: categorySchema.optional(),
  })
  .refine(
    (m) => Object.values(m).some((v) => v !== undefined),
    "must set at least one of codes, statuses, names, pattern, category",
  );

const ruleSchema = z.strictObject({
  id: z.string().min(1),
  match: ruleMatchSchema,
  category: categorySchema.optional(),
  severity: severitySchema.optional(),
  actions: z.array(z.string().min(1)),
});

const optionsSchema = z.strictObject({
  clock: clockSchema.optional(),
  maxPatterns: z.int().min(1).optional(),
  maxSamplesPerPattern: z.int().min(0).optional(),
  mergeThreshold: z.int().min(2).optional(),
  maxTokens: z.int().min(8).max(10_000).optional(),
  stackFrames: z.int().min(0).max(50).optional(),
  rootDir: z.string().optional(),
  rules: z.array(ruleSchema).optional(),
  builtinRules: z.boolean().optional(),
  maxSuggestions: z.int().min(0).optional(),
  spike: z
    .strictObject({
      windowMs: z.number().positive().optional(),
      baselineMs: z.number().positive().optional(),
      factor: z.number().positive().optional(),
      minCount: z.int().min(1).optional(),
    })
    .optional(),
});

const pinoOptionsSchema = z.strictObject({
  key: z.string().min(1).optional(),
  errorKey: z.string().min(1).optional(),
  minLevel: z.number().optional(),
});

/**
 * Validates options and applies the defaults.
 * @throws {ErrorDnaError} `INVALID_OPTIONS`, naming each offending field.
 */
export function resolveErrorDnaOptions(input: ErrorDnaOptions | undefined): ResolvedErrorDnaOptions {
  const parsed = optionsSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ErrorDnaError("INVALID_OPTIONS", `invalid error-dna options: ${describe(parsed.error)}`, {
      cause: parsed.error,
    });
  const o = parsed.data;
  const d = errorDnaDefaults;
  return {
    clock: o.clock ?? systemClock,
    maxPatterns: o.maxPatterns ?? d.maxPatterns,
    maxSamplesPerPattern: o.maxSamplesPerPattern ?? d.maxSamplesPerPattern,
    mergeThreshold: o.mergeThreshold ?? d.mergeThreshold,
    maxTokens: o.maxTokens ?? d.maxTokens,
    stackFrames: o.stackFrames ?? d.stackFrames,
    rootDir: o.rootDir ?? (typeof process === "undefined" ? "" : process.cwd()),
    // Validated above. The caller's objects are kept: zod's output types allow explicit undefined, which
    // exactOptionalPropertyTypes does not accept for SuggestionRule.
    rules: input?.rules ?? [],
    builtinRules: o.builtinRules ?? d.builtinRules,
    maxSuggestions: o.maxSuggestions ?? d.maxSuggestions,
    spike: {
      windowMs: o.spike?.windowMs ?? d.spike.windowMs,
      baselineMs: o.spike?.baselineMs ?? d.spike.baselineMs,
      factor: o.spike?.factor ?? d.spike.factor,
      minCount: o.spike?.minCount ?? d.spike.minCount,
    },
  };
}

/**
 * Validates one rule (for `ErrorDNA.addRule`).
 * @throws {ErrorDnaError} `INVALID_RULE`, naming each offending field.
 */
export function validateRule(rule: SuggestionRule): SuggestionRule {
  const parsed = ruleSchema.safeParse(rule);
  if (!parsed.success)
    throw new ErrorDnaError("INVALID_RULE", `invalid rule: ${describe(parsed.error)}`, {
      cause: parsed.error,
    });
  return rule;
}

/**
 * Validates the pino integration options and applies the defaults.
 * @throws {ErrorDnaError} `INVALID_OPTIONS`, naming each offending field.
 */
export function resolvePinoIntegrationOptions(
  input: PinoIntegrationOptions | undefined,
): ResolvedPinoIntegrationOptions {
  const parsed = pinoOptionsSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ErrorDnaError(
      "INVALID_OPTIONS",
      `invalid pino integration options: ${describe(parsed.error)}`,
      { cause: parsed.error },
    );
  const d = errorDnaDefaults.pino;
  return {
    key: parsed.data.key ?? d.key,
    errorKey: parsed.data.errorKey ?? d.errorKey,
    minLevel: parsed.data.minLevel ?? d.minLevel,
  };
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}
