import type { ErrorAnalysis } from "../analysis.js";
import type { ErrorDNA } from "../error-dna.js";
import { type PinoIntegrationOptions, resolvePinoIntegrationOptions } from "../options.js";

/** The DNA fields added to a log line. */
export interface ErrorDnaLogFields {
  readonly fingerprint: string;
  readonly patternId: string;
  readonly template: string;
  readonly category: ErrorAnalysis["category"];
  readonly severity: ErrorAnalysis["severity"];
  readonly spiking: boolean;
  readonly occurrences: number;
  readonly suggestions: readonly string[];
}

/** The shape of pino's `mixin` option: `(mergeObject, level) => fields merged into the line`. */
export type PinoMixin = (mergeObject: object, level: number) => Record<string, unknown>;

/** The shape of a pino serializer: `serializers: { err: serializer }`. */
export type PinoErrSerializer = (value: unknown) => unknown;

/** The subset of an analysis that goes into logs. */
export function toLogFields(analysis: ErrorAnalysis): ErrorDnaLogFields {
  return {
    fingerprint: analysis.fingerprint,
    patternId: analysis.patternId,
    template: analysis.template,
    category: analysis.category,
    severity: analysis.severity,
    spiking: analysis.spiking,
    occurrences: analysis.occurrences,
    suggestions: analysis.suggestions,
  };
}

/**
 * A pino `mixin` that analyzes the error of every line at `minLevel` or above (`logger.error(err)`
 * or `logger.error({ err }, msg)`) and adds the DNA fields under `key`. Lines without an error
 * get nothing. pino itself is not imported: any pino version with `mixin(mergeObject, level)` works.
 *
 * @example
 * ```ts
 * const logger = pino({ mixin: createErrorDnaMixin(new ErrorDNA("checkout")) });
 * logger.error(err); // {"level":50,...,"errorDna":{"patternId":"...","category":"network",...}}
 * ```
 * @throws {ErrorDnaError} `INVALID_OPTIONS` for bad options.
 */
export function createErrorDnaMixin(dna: ErrorDNA, options?: PinoIntegrationOptions): PinoMixin {
  const o = resolvePinoIntegrationOptions(options);
  return (mergeObject, level) => {
    if (level < o.minLevel) return {};
    const error = (mergeObject as Record<string, unknown>)[o.errorKey];
    if (!isErrorLike(error)) return {};
    return { [o.key]: toLogFields(dna.analyze(error)) };
  };
}

/**
 * A pino serializer for the error key that keeps the usual fields (type, message, stack, code)
 * and adds the DNA fields under `key`. Unlike the mixin it sees every level, since serializers
 * do not receive one.
 *
 * @example
 * ```ts
 * const logger = pino({ serializers: { err: createErrorDnaSerializer(dna) } });
 * ```
 * @throws {ErrorDnaError} `INVALID_OPTIONS` for bad options.
 */
export function createErrorDnaSerializer(dna: ErrorDNA, options?: PinoIntegrationOptions): PinoErrSerializer {
  const o = resolvePinoIntegrationOptions(options);
  return (value) => {
    if (!isErrorLike(value)) return value;
    const error = value as Error & { code?: unknown };
    return {
      type: error.name,
      message: error.message,
      stack: error.stack,
      ...(error.code === undefined ? {} : { code: error.code }),
      [o.key]: toLogFields(dna.analyze(error)),
    };
  };
}

function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { message?: unknown }).message === "string"
  );
}
