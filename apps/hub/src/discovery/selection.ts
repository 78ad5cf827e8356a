import type { Instance } from "../registry/instance.js";

export type SelectionStrategy = "round_robin" | "weighted" | "least_load";
export const selectionStrategies: readonly SelectionStrategy[] = ["round_robin", "weighted", "least_load"];

/** Picks one instance from a non-empty candidate list. Stateful strategies keep state per service. */
export interface Selector {
  select(service: string, candidates: readonly Instance[]): Instance;
}

/** Cycles through the candidates in order, one cursor per service. */
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
      let best: Instance | undefined;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const candidate of candidates) {
        const weight = candidate.record.weight;
        const score = (scores.get(candidate.record.id) ?? 0) + weight;
        scores.set(candidate.record.id, score);
        total += weight;
        if (score > bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
      scores.set(best!.record.id, bestScore - total);
      if (scores.size > candidates.length * 2) pruneScores(scores, candidates);
      return best!;
    },
  };
}

function pruneScores(scores: Map<string, number>, candidates: readonly Instance[]): void {
  const live = new Set(candidates.map((c) => c.record.id));
  for (const id of scores.keys()) if (!live.has(id)) scores.delete(id);
}

/**
 * Power of two choices: sample two distinct candidates at random and take the one reporting
 * less load. Nearly as good as scanning for the minimum, without herding every caller onto the
 * same idle instance between two heartbeats.
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
