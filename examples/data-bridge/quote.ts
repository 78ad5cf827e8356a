/** One market tick for a symbol. */
export interface Quote {
  symbol: string;
  bid: number;
  ask: number;
  last: number;
  timestamp: string;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9.:-]{0,19}$/;

/** Upper-cases a symbol, or returns undefined when it is not one (letters, digits, `.:-`, ≤ 20). */
export function normalizeSymbol(raw: string): string | undefined {
  const symbol = raw.toUpperCase();
  return SYMBOL.test(symbol) ? symbol : undefined;
}

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  return h >>> 0;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/**
 * A made-up but stable quote: each symbol has its own base price and drifts slowly with time,
 * so demos look alive while tests can rely on a positive price with bid < ask.
 */
export function quoteFor(symbol: string, nowMs: number): Quote {
  const base = 10 + (hash(symbol) % 99000) / 100;
  const last = base * (1 + 0.01 * Math.sin(nowMs / 60_000 + (hash(symbol) % 360)));
  const halfSpread = Math.max(last * 0.0001, 0.0001);
  return {
    symbol,
    bid: round(last - halfSpread),
    ask: round(last + halfSpread),
    last: round(last),
    timestamp: new Date(nowMs).toISOString(),
  };
}
