/** Every failure error-dna raises. */
export type ErrorDnaErrorCode =
  /** The options passed to `new ErrorDNA` are not valid. */
  | "INVALID_OPTIONS"
  /** A rule passed to `addRule` or in `options.rules` is not valid. */
  | "INVALID_RULE";

/** A typed error-dna failure; its message names the offending fields (zod issue paths). */
export class ErrorDnaError extends Error {
  override readonly name = "ErrorDnaError";
  readonly code: ErrorDnaErrorCode;

  constructor(code: ErrorDnaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
