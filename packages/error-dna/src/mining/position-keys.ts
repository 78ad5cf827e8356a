import { VARIABLE, WILDCARD } from "./token-types.js";

/**
 * One key per position of a token list: the key of position p identifies "these tokens, whatever
 * is at p". Patterns that differ only at p share that key, which is how the miner finds the
 * candidates for turning p into a variable. Keys are built from prefix and suffix hashes, so
 * computing all of them is linear in the length, and their size does not grow with it.
 * Learned wildcards and typed variables hash alike: both are variables.
 */
export function positionKeys(scope: string, tokens: readonly string[]): string[] {
  const n = tokens.length;
  const pre1 = new Int32Array(n + 1);
  const pre2 = new Int32Array(n + 1);
  const suf1 = new Int32Array(n + 1);
  const suf2 = new Int32Array(n + 1);
  pre1[0] = 0x2545f491;
  pre2[0] = 0x6c8e9cf5;
  suf1[n] = 0x1b873593;
  suf2[n] = 0x7feb352d;
  const h1 = new Int32Array(n);
  const h2 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const token = tokens[i] === WILDCARD ? VARIABLE : (tokens[i] as string);
    [h1[i], h2[i]] = tokenHash(token);
  }
  for (let i = 0; i < n; i++) {
    pre1[i + 1] = mix(pre1[i] as number, h1[i] as number, 0x01000193);
    pre2[i + 1] = mix(pre2[i] as number, h2[i] as number, 0x5bd1e995);
  }
  for (let i = n - 1; i >= 0; i--) {
    suf1[i] = mix(suf1[i + 1] as number, h1[i] as number, 0x01000193);
    suf2[i] = mix(suf2[i + 1] as number, h2[i] as number, 0x5bd1e995);
  }
  const keys: string[] = [];
  for (let p = 0; p < n; p++) {
    keys.push(`${scope}|${n}|${p}|${hex(pre1[p])}${hex(pre2[p])}${hex(suf1[p + 1])}${hex(suf2[p + 1])}`);
  }
  return keys;
}

function tokenHash(token: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a, b ^ (b >>> 15)];
}

function mix(acc: number, value: number, prime: number): number {
  const x = Math.imul(acc ^ value, prime);
  return x ^ (x >>> 13);
}

function hex(n: number | undefined): string {
  return ((n ?? 0) >>> 0).toString(16).padStart(8, "0");
}
