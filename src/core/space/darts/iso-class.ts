import { canonicalDartsCell, dartsId } from './canonical';
import { DARTS_NODE_COUNT, type DartsPair } from './genotype';
import type { DartsGenotype } from './genotype';

/** All 24 orders of the 4 intermediate nodes: `order[k]` is node k's new index. */
const ORDERS: readonly (readonly number[])[] = (() => {
  const orders: number[][] = [];
  const extend = (prefix: number[]): void => {
    if (prefix.length === DARTS_NODE_COUNT) orders.push(prefix);
    for (let k = 0; k < DARTS_NODE_COUNT; k++) if (!prefix.includes(k)) extend([...prefix, k]);
  };
  extend([]);
  return orders;
})();

/** The cell with its nodes renumbered by `order`, or null when a node would read a node numbered after it. */
function renumber(pairs: readonly DartsPair[], order: readonly number[]): DartsPair[] | null {
  const state = (input: number): number => (input < 2 ? input : order[input - 2] + 2);
  const renumbered = new Array<DartsPair>(pairs.length);
  for (let node = 0; node < DARTS_NODE_COUNT; node++) {
    for (const half of [0, 1]) {
      const pair = pairs[2 * node + half];
      const input = state(pair.input);
      if (input >= order[node] + 2) return null;
      renumbered[2 * order[node] + half] = { op: pair.op, input };
    }
  }
  return canonicalDartsCell(renumbered);
}

function cellKey(pairs: readonly DartsPair[]): string {
  return pairs.map((pair) => `${pair.op}~${pair.input}`).join('|');
}

/** The cell's smallest renumbering (by its text) over every node order that keeps it feed-forward. */
function smallestRenumbering(pairs: readonly DartsPair[]): DartsPair[] {
  let best = canonicalDartsCell(pairs);
  let bestKey = cellKey(best);
  for (const order of ORDERS) {
    const candidate = renumber(pairs, order);
    if (candidate === null) continue;
    const key = cellKey(candidate);
    if (key < bestKey) [best, bestKey] = [candidate, key];
  }
  return best;
}

/**
 * Isomorphism class of a genotype: the id of the genotype with each cell's intermediate nodes renumbered to the
 * smallest order (by pair text) among the orders in which every node still reads only earlier states. A cell
 * concatenates all four nodes and everything after it (1 × 1 preprocessing convs, the classifier) is per-channel or
 * learnt over channels, so renumbering nodes only permutes channels: the networks compute the same functions.
 * Swapping a node's two pairs is already folded in by the canonical form. Nothing else is merged (identical
 * branches, pooling of pooling, ...), so this is a sound but not complete equivalence.
 */
export function dartsIsoClass(genotype: DartsGenotype): string {
  return dartsId({ normal: smallestRenumbering(genotype.normal), reduce: smallestRenumbering(genotype.reduce) });
}
