/** Options of {@link sanitizeHeaderValue}. */
export interface SanitizeHeaderOptions {
  /** Longest value kept, in characters; the rest is cut off. Default: 1024. */
  maxLength?: number;
}

/** The default of {@link SanitizeHeaderOptions.maxLength}. */
export const defaultMaxHeaderLength = 1024;

// C0 controls (CR and LF among them), DEL and the C1 controls: none belongs in a header value or a log line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
const controlCharacters = new RegExp(controlCharacter.source, "g");

/**
 * Makes an untrusted value safe to put in a header or a log line: strips CR, LF and every other
 * control character (no header injection, no forged log lines), trims, and cuts it to `maxLength`.
 * Arrays (repeated headers) keep their first value; undefined stays undefined.
 *
 * @example
 * sanitizeHeaderValue("abc\r\nSet-Cookie: x=1"); // "abcSet-Cookie: x=1"
 */
export function sanitizeHeaderValue(
  value: string | readonly string[] | undefined,
  options: SanitizeHeaderOptions = {},
): string | undefined {
  const first = typeof value === "string" ? value : value?.[0];
  if (first === undefined) return undefined;
  const maxLength = options.maxLength ?? defaultMaxHeaderLength;
  return first.replace(controlCharacters, "").trim().slice(0, maxLength);
}

/** True when `value` holds a control character (CR, LF, NUL, ...). */
export function hasControlCharacters(value: string): boolean {
  return controlCharacter.test(value);
}
