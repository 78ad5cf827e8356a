/**
 * The hub's selection strategies, on the least an instance must offer. The hub and the client use
 * the same code, so a cached answer picks the way the hub would.
 */

/** What a strategy reads of an instance. */
export interface Selectable {
  readonly id: string;
  /** Relative weight for weighted selection (the hub's default is 100). */
  readonly weight: number;
  /** Load reported by the instance's heartbeats (0 = idle). */
  readonly load: number;
}

/** `round_robin` (the hub's default), `weighted` (smooth weighted round robin) or `least_load`. */
export type SelectionStrategy = "round_robin" | "weighted" | "least_load";

/** Every strategy, in the order the hub documents them. */
export const selectionStrategies = [
  "round_robin",
  "weighted",
  "least_load",
] as const satisfies readonly SelectionStrategy[];

/**
 * Picks one instance from a non-empty candidate list. Stateful strategies keep their state per
 * service name, so one selector serves every service.
 * @internal
 */
export interface Selector {
  select<T extends Selectable>(service: string, candidates: readonly T[]): T;
}

/**
 * Cycles through the candidates in order, one cursor per service.
 * @internal
 */
export function createRoundRobinSelector(): Selector {
  const cursors = new Map<string, number>();
  return {
    select(service, candidates) {
      const cursor = cursors.get(service) ?? 0;
      cursors.set(service, (cursor + 1) % 1_000_000_007);
      return candidates[cursor % candidates.length]!;
    },
  };
}

/**
 * Smooth weighted round robin (as in nginx): over any window of sum(weights) picks, each
 * instance is chosen in proportion to its weight, and heavy instances are interleaved, not bunched.
 * @internal
 */
export function createWeightedSelector(): Selector {
  const current = new Map<string, Map<string, number>>();
  return {
    select(service, candidates) {
      let scores = current.get(service);
      if (!scores) {
        scores = new Map();
        current.set(service, scores);
      }
      let total = 0;
      let best = candidates[0]!;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const candidate of candidates) {
        const score = (scores.get(candidate.id) ?? 0) + candidate.weight;
        scores.set(candidate.id, score);
        total += candidate.weight;
        if (score > bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
      scores.set(best.id, bestScore - total);
      if (scores.size > candidates.length * 2) pruneScores(scores, candidates);
      return best;
    },
  };
}

function pruneScores(scores: Map<string, number>, candidates: readonly Selectable[]): void {
  const live = new Set(candidates.map((c) => c.id));
  for (const id of scores.keys()) if (!live.has(id)) scores.delete(id);
}

/**
 * Power of two choices: sample two distinct candidates at random and take the one reporting
 * less load. Nearly as good as scanning for the minimum, without herding every caller onto the
 * same idle instance between two heartbeats.
 * @internal
 */
export function createLeastLoadSelector(random: () => number = Math.random): Selector {
  return {
    select(_service, candidates) {
      if (candidates.length === 1) return candidates[0]!;
      const first = Math.floor(random() * candidates.length);
      let second = Math.floor(random() * (candidates.length - 1));
      if (second >= first) second++;
      const a = candidates[first]!;
      const b = candidates[second]!;
      return b.load < a.load ? b : a;
    },
  };
}

/**
 * One selector per strategy, as the hub's discovery keeps them.
 * @internal
 */
export function createSelectors(
  random: () => number = Math.random,
): Readonly<Record<SelectionStrategy, Selector>> {
  return {
    round_robin: createRoundRobinSelector(),
    weighted: createWeightedSelector(),
    least_load: createLeastLoadSelector(random),
  };
}
