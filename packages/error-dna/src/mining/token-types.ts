/**
 * Token markers and the token-type masks: which words are variables whatever the log.
 *
 * Markers are control characters so that no printable log text can collide with them;
 * the tokenizer strips control characters from its input.
 */

/** A token that is a variable by its type (number, IP, path, ...): the `<*>` of a template. */
export const VARIABLE = "\u0000";

/** A position the miner learned is variable because it saw many different words there. */
export const WILDCARD = "\u0001";

// Whole-word shapes that are always values, never part of a message's wording.
const TYPED_VALUES: readonly RegExp[] = [
  /^\/?\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/, // IPv4, optionally with a port
  /^(?:[0-9a-f]{2}[:-]){5,}[0-9a-f]{2}$/i, // MAC and longer colon-hex ids
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUID
  /^[a-z][a-z0-9+.-]*:\/\/\S*$/i, // URL
  /^(?:\/|\.{1,2}\/|~\/)\S*$/, // absolute or relative path
  /^[^/\s]*\/[^/\s]*\/\S*$/, // a/b/c: a path without a leading slash
  /^[a-z]:\\/i, // Windows path
  /^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?$/, // time of day
  /^\d{4}-\d{2}-\d{2}(?:[T ]\S*)?$/, // ISO date
  /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/, // e-mail address
  /^[-+]?0x[0-9a-f]+$/i, // hex literal
  /^[-+]?\d+(?:[.,:]\d+)*$/, // number, version, ratio
  /^[\w-]+(?:\.[\w-]+)+:\d{1,5}$/, // host.domain:port
  /^\w+(?:-\w+)+:\d{1,5}$/, // host-name:port
];

const MAY_BE_TYPED = /[\d/\\:@]/;

// Day and month names vary inside timestamps that log lines embed in their text.
const CALENDAR_WORD = /^(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i;

/** Units that follow a number and change with its magnitude ("5.2 KB", "93.0 B"). */
export const UNIT_WORD = /^(?:B|[KMGTP]i?B|kB|bytes|ms|us|µs|ns|s|sec|secs)$/;

/** True when `word` is a value by its type alone. */
export function isTypedValue(word: string): boolean {
  // Every typed value but calendar words has a digit, a slash, a colon or an @: skip the list for plain words.
  if (!MAY_BE_TYPED.test(word)) return word.length === 3 && CALENDAR_WORD.test(word);
  for (const re of TYPED_VALUES) if (re.test(word)) return true;
  return CALENDAR_WORD.test(word);
}

/**
 * The shape of a word: typed values and ids with several digit groups become {@link VARIABLE};
 * a word with one digit group keeps its letters (`alt0` becomes `alt<*>`), so `eth0` and `eth1`
 * share a shape while `alt0` and `ee0` do not.
 */
export function shapeOf(word: string): string {
  if (isTypedValue(word)) return VARIABLE;
  const digitRuns = word.match(/\d+/g);
  if (digitRuns === null) return word;
  if (digitRuns.length >= 2) return VARIABLE;
  if (word.length >= 6 && /^[0-9a-f]+$/i.test(word)) return VARIABLE; // bare hex: 003a90fc
  // A sign glued to the number is part of the value: blk_-42 and blk_42 share a shape.
  return word.replace(/(^|[^A-Za-z0-9])[-+](?=\d)/g, "$1").replace(/\d+/g, VARIABLE);
}

/** True for a shape with a variable part inside a word, such as `alt<*>`. */
export function isPartialVariable(token: string): boolean {
  return token !== VARIABLE && token.includes(VARIABLE);
}
