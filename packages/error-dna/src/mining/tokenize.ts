import { isPartialVariable, isTypedValue, shapeOf, UNIT_WORD, VARIABLE } from "./token-types.js";

/** One token of a message: its masked text, the text it came from, and whether a space preceded it. */
export interface Token {
  /** The token as the miner compares it: a word, punctuation, a shape or {@link VARIABLE}. */
  readonly text: string;
  /** The original text (several words when a run of values was collapsed). */
  readonly raw: string;
  /** Whether whitespace preceded the token in the message; used to render templates. */
  readonly spaced: boolean;
}

const LEADING = /^[([{<'"]+/;
const TRAILING = /[)\]}>'",;:.!?]+$/;
// key=value and key:value, where the key is an identifier (not a host name with dashes).
const KEY_VALUE = /^([A-Za-z_][\w.]*?)([=:])(.+)$/;
// Punctuation that separates the words of a digit-free token.
const SEPARATORS = /(\.{2,}|[=,;:()[\]{}"'])/;
const DOT_RUN = /^\.{2,}$/;
const CLOSERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: markers must never come from input.
const CONTROL = /[\u0000-\u0008\u000e-\u001f]/g;

/**
 * Splits a message into tokens and masks its values.
 *
 * Words are split at whitespace, then at punctuation when they hold no digit; a word with digits
 * keeps its shape (see `shapeOf`), except that `key=value` keeps its key. Runs of values collapse
 * into one token, so lists of any length match, and a free-standing `()` holds an empty value.
 * At most `maxTokens` tokens are kept; the rest of a longer message becomes one value.
 */
export function tokenize(message: string, maxTokens: number): Token[] {
  const out: Token[] = [];
  let previousWasValue = false;
  for (const word of message.replace(CONTROL, "").split(/\s+/)) {
    if (word === "") continue;
    const start = out.length;
    previousWasValue = pushWord(word, previousWasValue, out);
    if (out.length > start) out[start] = { ...(out[start] as Token), spaced: start > 0 };
  }
  return collapse(out, maxTokens);
}

// Pushes the tokens of one whitespace-separated word; returns whether it ended in a value.
function pushWord(word: string, previousWasValue: boolean, out: Token[]): boolean {
  const unitTrail = word.match(TRAILING)?.[0] ?? "";
  if (previousWasValue && UNIT_WORD.test(word.slice(0, word.length - unitTrail.length))) {
    push(out, VARIABLE, word.slice(0, word.length - unitTrail.length));
    pushPunctuation(unitTrail, out);
    return false;
  }
  const lead = word.match(LEADING)?.[0] ?? "";
  const rest = word.slice(lead.length);
  let trail = rest.match(TRAILING)?.[0] ?? "";
  // Keep a closing bracket that balances one inside the word: "LOCAL(0)," is one value.
  while (
    trail !== "" &&
    CLOSERS[trail[0] as string] !== undefined &&
    opens(rest.slice(0, rest.length - trail.length), trail[0] as string)
  ) {
    trail = trail.slice(1);
  }
  const core = rest.slice(0, rest.length - trail.length);
  for (const c of lead) push(out, c, c);
  const before = out.length;
  if (core !== "") pushCore(core, out);
  const endsInValue = out.length > before && out[out.length - 1]?.text === VARIABLE;
  pushPunctuation(trail, out);
  return endsInValue && trail === "";
}

function pushCore(core: string, out: Token[]): void {
  if (isTypedValue(core)) {
    push(out, VARIABLE, core);
    return;
  }
  if (/\d/.test(core)) {
    const kv = KEY_VALUE.exec(core);
    if (kv !== null) {
      const [, key = "", sep = "", value = ""] = kv;
      push(out, shapeOf(key), key);
      push(out, sep, sep);
      pushCore(value, out);
      return;
    }
    push(out, shapeOf(core), core);
    return;
  }
  for (const part of core.split(SEPARATORS)) {
    if (part !== "") push(out, DOT_RUN.test(part) ? ".." : part, part);
  }
}

function pushPunctuation(trail: string, out: Token[]): void {
  if (trail === "") return;
  if (DOT_RUN.test(trail)) push(out, "..", trail);
  else for (const c of trail) push(out, c, c);
}

function push(out: Token[], text: string, raw: string): void {
  out.push({ text, raw, spaced: false });
}

function opens(text: string, closer: string): boolean {
  const opener = CLOSERS[closer];
  let depth = 0;
  for (const c of text) {
    if (c === opener) depth++;
    else if (c === closer) depth--;
  }
  return depth > 0;
}

// Collapses runs of values, turns empty brackets into an empty value and caps the length.
function collapse(tokens: readonly Token[], maxTokens: number): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const last = out[out.length - 1];
    // A free-standing "()" is a value that happened to be empty; in "init()" it is a call.
    const startsWord = last !== undefined && (last.spaced || out.length === 1);
    if (
      startsWord &&
      ((last.text === "(" && token.text === ")") || (last.text === "[" && token.text === "]"))
    ) {
      out.push({ text: VARIABLE, raw: "", spaced: false });
    }
    const prev = out[out.length - 1];
    if (
      prev !== undefined &&
      token.text === prev.text &&
      (token.text === VARIABLE || isPartialVariable(token.text))
    ) {
      out[out.length - 1] = { ...prev, raw: `${prev.raw} ${token.raw}` };
      continue;
    }
    if (out.length === maxTokens) {
      const lastKept = out[maxTokens - 1] as Token;
      out[maxTokens - 1] = { text: VARIABLE, raw: `${lastKept.raw} ${token.raw}`, spaced: lastKept.spaced };
      continue;
    }
    out.push(token);
  }
  return out;
}
