import { BoundedMap } from "../bounded-map.js";
import { hash64 } from "../hash.js";
import { distinctWords, eligible, isPlainWord, matches, mergeThreshold } from "./merge-policy.js";
import { positionKeys } from "./position-keys.js";
import { renderTemplate } from "./template.js";
import { isPartialVariable, VARIABLE, WILDCARD } from "./token-types.js";
import { type Token, tokenize } from "./tokenize.js";

/** Settings of a {@link PatternMiner}; the error-dna options supply them. */
export interface MinerSettings {
  /** Distinct words seen at one position before it becomes a variable. */
  readonly mergeThreshold: number;
  /** Tokens compared per message. */
  readonly maxTokens: number;
  /** Entries in the exact-shape and merged-id caches. */
  readonly maxCacheEntries: number;
}

/** What {@link PatternMiner.add} did with a message. */
export interface MineResult {
  /** The pattern the message belongs to now. */
  readonly patternId: string;
  /** Hash of the message's exact masked shape and scope: equal for messages that differ only in values. */
  readonly fingerprint: string;
  /** Patterns folded into others while adding the message, in order. */
  readonly merges: readonly PatternMerge[];
}

/** One pattern folded into another. */
export interface PatternMerge {
  readonly from: string;
  readonly into: string;
}

interface MinedPattern {
  readonly id: string;
  readonly seq: number;
  readonly scope: string;
  tokens: string[];
  readonly spacing: readonly boolean[];
  // Original words seen at positions holding a partial variable such as alt<*>.
  readonly raws: (Set<string> | undefined)[];
  keys: string[];
  head: string;
  // Rendered lazily and dropped when the tokens change.
  template: string | undefined;
}

const RAW_CAP = 8;

/**
 * Mines message patterns online, one message at a time.
 *
 * A message is tokenized with its values masked (see `tokenize`). Messages with the same masked
 * shape share a pattern at once. Patterns of one length that differ at a single position merge
 * when that position holds a typed value in one and a partial value (`alt<*>`) in another, or when
 * `mergeThreshold` distinct words were seen there; the position then becomes a wildcard that
 * matches any word. More evidence is needed for ALL-CAPS words and numbered names (they are
 * usually enum values and device names), and for the first word (usually the message's verb),
 * which only merges when it is a compound name such as a file or class name.
 * Messages of different scopes (error type plus stack signature) never share a pattern.
 */
export class PatternMiner {
  readonly #settings: MinerSettings;
  readonly #patterns = new Map<string, MinedPattern>();
  readonly #byShape: BoundedMap<string, string>;
  readonly #aliases: BoundedMap<string, string>;
  readonly #byHead = new Map<string, Set<MinedPattern>>();
  readonly #byPosition = new Map<string, Set<MinedPattern>>();
  #seq = 0;
  #merges: PatternMerge[] = [];

  constructor(settings: MinerSettings) {
    this.#settings = settings;
    this.#byShape = new BoundedMap(settings.maxCacheEntries);
    this.#aliases = new BoundedMap(settings.maxCacheEntries);
  }

  /** Live patterns. */
  get size(): number {
    return this.#patterns.size;
  }

  /** Adds a message in `scope` and returns its pattern. */
  add(message: string, scope: string): MineResult {
    this.#merges = [];
    const tokens = tokenize(message, this.#settings.maxTokens);
    const texts = tokens.map((t) => t.text);
    const fingerprint = hash64(`${scope}\u0002${texts.join("\u0002")}`);
    const known = this.#byShape.get(fingerprint);
    let pattern = known === undefined ? undefined : this.#live(known);
    // An evicted id can come back as a new, narrower pattern: check before trusting the cache.
    if (pattern !== undefined && !matches(pattern.tokens, texts)) pattern = undefined;
    pattern ??= this.#findMatch(scope, texts);
    if (pattern === undefined) {
      pattern = this.#create(scope, tokens, fingerprint);
    } else {
      this.#byShape.set(fingerprint, pattern.id);
      if (this.#recordRaws(pattern, tokens)) this.#mergeAround(pattern);
    }
    const current = this.#live(pattern.id) ?? pattern;
    return { patternId: current.id, fingerprint, merges: this.#merges };
  }

  /** The current id of a pattern, following merges; undefined once it was removed or forgotten. */
  resolve(patternId: string): string | undefined {
    return this.#live(patternId)?.id;
  }

  /** The template of a pattern, with `<*>` for every variable part. */
  template(patternId: string): string | undefined {
    const pattern = this.#live(patternId);
    if (pattern === undefined) return undefined;
    pattern.template ??= renderTemplate(pattern.tokens, pattern.spacing);
    return pattern.template;
  }

  /** Forgets a pattern (eviction); later messages of its shape start a new one. */
  remove(patternId: string): void {
    const pattern = this.#patterns.get(patternId);
    if (pattern === undefined) return;
    this.#unindex(pattern);
    this.#patterns.delete(patternId);
  }

  #live(id: string): MinedPattern | undefined {
    let current = id;
    // Merge chains are short; the bound only guards against a cycle after cache eviction.
    for (let hops = 0; hops < 64; hops++) {
      const pattern = this.#patterns.get(current);
      if (pattern !== undefined) return pattern;
      const next = this.#aliases.get(current);
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }

  #findMatch(scope: string, texts: readonly string[]): MinedPattern | undefined {
    // Patterns starting with a variable may accept any first word, so they are candidates too.
    const heads = [headKey(scope, texts)];
    const variableHead = headKey(scope, [VARIABLE, ...texts.slice(1)]);
    if (variableHead !== heads[0]) heads.push(variableHead);
    for (const head of heads) {
      for (const candidate of this.#byHead.get(head) ?? []) {
        if (matches(candidate.tokens, texts)) return candidate;
      }
    }
    return undefined;
  }

  #create(scope: string, tokens: readonly Token[], fingerprint: string): MinedPattern {
    const texts = tokens.map((t) => t.text);
    const pattern: MinedPattern = {
      // The founding shape names the pattern, so the same first message gives the same id everywhere.
      id: fingerprint,
      seq: this.#seq++,
      scope,
      tokens: texts,
      spacing: tokens.map((t) => t.spaced),
      raws: texts.map(() => undefined),
      keys: [],
      head: "",
      template: undefined,
    };
    // Unreachable while the old pattern lives (it would have matched); kept so an id is never shared.
    this.remove(pattern.id);
    this.#patterns.set(pattern.id, pattern);
    this.#byShape.set(fingerprint, pattern.id);
    this.#recordRaws(pattern, tokens);
    this.#index(pattern);
    this.#mergeAround(pattern);
    return pattern;
  }

  // Remembers the original words behind partial variables; true when a position gained a second one.
  #recordRaws(pattern: MinedPattern, tokens: readonly Token[]): boolean {
    let grew = false;
    for (let i = 0; i < pattern.tokens.length; i++) {
      if (!isPartialVariable(pattern.tokens[i] as string)) continue;
      const raw = (tokens[i] as Token).raw;
      let seen = pattern.raws[i];
      if (seen === undefined) {
        seen = new Set();
        pattern.raws[i] = seen;
      }
      if (seen.size >= RAW_CAP || seen.has(raw)) continue;
      seen.add(raw);
      if (seen.size === 2) grew = true;
    }
    return grew;
  }

  #index(pattern: MinedPattern): void {
    pattern.head = headKey(pattern.scope, pattern.tokens);
    addTo(this.#byHead, pattern.head, pattern);
    const keys = positionKeys(pattern.scope, pattern.tokens);
    const plainWords = pattern.tokens.filter(isPlainWord).length;
    pattern.keys = keys.map((key, p) => (eligible(pattern.tokens, p, plainWords) ? key : ""));
    for (const key of pattern.keys) if (key !== "") addTo(this.#byPosition, key, pattern);
  }

  #unindex(pattern: MinedPattern): void {
    removeFrom(this.#byHead, pattern.head, pattern);
    for (const key of pattern.keys) if (key !== "") removeFrom(this.#byPosition, key, pattern);
    pattern.keys = [];
  }

  // Merges the pattern with its neighbours while some position has enough evidence.
  #mergeAround(start: MinedPattern): void {
    let pattern: MinedPattern | undefined = start;
    while (pattern !== undefined) pattern = this.#mergeOnce(pattern);
  }

  #mergeOnce(pattern: MinedPattern): MinedPattern | undefined {
    for (let p = 0; p < pattern.keys.length; p++) {
      const key = pattern.keys[p] as string;
      if (key === "") continue;
      const group = [...(this.#byPosition.get(key) ?? [])];
      if (group.length < 2) continue;
      const typed = group.find((g) => g.tokens[p] === VARIABLE);
      if (typed !== undefined) {
        const partial = group.filter((g) => isPartialVariable(g.tokens[p] as string));
        if (partial.length > 0) return this.#merge([typed, ...partial], p, VARIABLE);
      }
      if (distinctWords(group, p) >= mergeThreshold(this.#settings.mergeThreshold, group, p)) {
        return this.#merge(group, p, WILDCARD);
      }
    }
    return undefined;
  }

  #merge(group: MinedPattern[], p: number, marker: string): MinedPattern {
    group.sort((a, b) => a.seq - b.seq);
    const root = group[0] as MinedPattern;
    for (const g of group) this.#unindex(g);
    const tokens = root.tokens.slice();
    tokens[p] = marker;
    for (const other of group.slice(1)) {
      for (let i = 0; i < tokens.length; i++) {
        const a = tokens[i] as string;
        const b = other.tokens[i] as string;
        if (a !== b) tokens[i] = a === WILDCARD || b === WILDCARD ? WILDCARD : VARIABLE;
        const raws = other.raws[i];
        if (raws !== undefined && isPartialVariable(tokens[i] as string)) {
          let into = root.raws[i];
          if (into === undefined) {
            into = new Set();
            root.raws[i] = into;
          }
          for (const raw of raws) if (into.size < RAW_CAP) into.add(raw);
        }
      }
      this.#patterns.delete(other.id);
      this.#aliases.set(other.id, root.id);
      this.#merges.push({ from: other.id, into: root.id });
    }
    root.tokens = tokens;
    root.template = undefined;
    this.#index(root);
    return root;
  }
}

function headKey(scope: string, tokens: readonly string[]): string {
  const first = tokens[0] ?? "";
  return `${scope}\u0002${tokens.length}\u0002${first === WILDCARD ? VARIABLE : first}`;
}

function addTo<T>(index: Map<string, Set<T>>, key: string, value: T): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

function removeFrom<T>(index: Map<string, Set<T>>, key: string, value: T): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
