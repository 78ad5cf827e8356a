import { isPartialVariable, VARIABLE, WILDCARD } from "./token-types.js";

/** What the merge policy reads from a pattern. */
export interface PatternView {
  readonly tokens: readonly string[];
  /** Original words seen at positions that hold a partial variable such as `alt<*>`. */
  readonly raws: readonly (ReadonlySet<string> | undefined)[];
}

const CAPS_WORD = /^[A-Z][A-Z0-9_]+$/;
const COMPOUND_WORD = /^(?=.*[A-Za-z])(?=.*[._\-/$@\\]).+$/;
const HAS_LETTER = /[A-Za-z]/;
const WORDY = /[A-Za-z0-9]/;

/**
 * Whether position p of a pattern may become a variable. Punctuation never does; the first word
 * only when it is a value, a partial value or a compound name (`worker.js`), because it is usually
 * the message's verb; and a pattern must keep at least one plain word, or everything would merge
 * with everything. `plainWords` is the number of {@link isPlainWord} tokens.
 */
export function eligible(tokens: readonly string[], p: number, plainWords: number): boolean {
  const token = tokens[p] as string;
  if (token === WILDCARD || (token !== VARIABLE && !WORDY.test(token))) return false;
  if (p === 0 && token !== VARIABLE && !isPartialVariable(token) && !COMPOUND_WORD.test(token)) return false;
  return plainWords - (isPlainWord(token) ? 1 : 0) >= 1;
}

/** A word with letters and no variable part. */
export function isPlainWord(token: string): boolean {
  return token !== WILDCARD && !token.includes(VARIABLE) && HAS_LETTER.test(token);
}

/** Distinct original words at position p across patterns that differ only there. */
export function distinctWords(group: readonly PatternView[], p: number): number {
  const words = new Set<string>();
  for (const g of group) {
    const token = g.tokens[p] as string;
    if (isPartialVariable(token)) for (const raw of g.raws[p] ?? []) words.add(raw);
    else words.add(token);
  }
  return words.size;
}

/**
 * Distinct words position p needs before it becomes a variable: the base threshold, one more
 * when every value is ALL-CAPS (enum constants such as RUNNING, FAILED) or a numbered name whose
 * number never varied (interfaces such as alt0, ee0), and one more for the first word.
 */
export function mergeThreshold(base: number, group: readonly PatternView[], p: number): number {
  const enumLike = group.every((g) => CAPS_WORD.test(g.tokens[p] as string));
  const numberedNames = group.every(
    (g) => isPartialVariable(g.tokens[p] as string) && (g.raws[p]?.size ?? 0) <= 1,
  );
  return base + (enumLike || numberedNames ? 1 : 0) + (p === 0 ? 1 : 0);
}

/**
 * Whether a pattern accepts a message's tokens: every position is equal, a learned wildcard, or a
 * typed variable facing a partial value (`<*>` accepts `node7`).
 */
export function matches(pattern: readonly string[], texts: readonly string[]): boolean {
  if (pattern.length !== texts.length) return false;
  for (let i = 0; i < texts.length; i++) {
    const a = pattern[i] as string;
    const b = texts[i] as string;
    if (a === b || a === WILDCARD) continue;
    if (a === VARIABLE && isPartialVariable(b)) continue;
    return false;
  }
  return true;
}
