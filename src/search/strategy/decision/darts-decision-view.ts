import {
  canonicalDarts,
  DARTS_CELLS,
  DARTS_OPS,
  DARTS_PAIR_COUNT,
  dartsInputCount,
  dartsOpIndex,
  type DartsGenotype,
  type DartsPair,
} from '../../../core';
import type { DecisionView } from './decision-view';

const CELL_SIZES = Array.from({ length: DARTS_PAIR_COUNT }, (_, slot) => [
  DARTS_OPS.length,
  dartsInputCount(slot),
]).flat();

/**
 * DARTS: for the normal then the reduction cell, for each of the 8 pairs its op (7) and its input (the states its
 * node may read), 32 decisions. A vector whose node reads one state twice is not a genotype (NB301 draws distinct inputs).
 */
export const dartsDecisionView: DecisionView<DartsGenotype> = {
  sizes: [...CELL_SIZES, ...CELL_SIZES],
  toDecisions: (genotype) =>
    DARTS_CELLS.flatMap((cell) => genotype[cell].flatMap((pair) => [dartsOpIndex(pair.op), pair.input])),
  fromDecisions(decisions) {
    const cells: DartsPair[][] = [];
    for (let c = 0; c < DARTS_CELLS.length; c++) {
      const pairs: DartsPair[] = [];
      for (let slot = 0; slot < DARTS_PAIR_COUNT; slot++) {
        const at = (c * DARTS_PAIR_COUNT + slot) * 2;
        pairs.push({ op: DARTS_OPS[decisions[at]], input: decisions[at + 1] });
      }
      for (let slot = 1; slot < DARTS_PAIR_COUNT; slot += 2)
        if (pairs[slot].input === pairs[slot - 1].input) return null;
      cells.push(pairs);
    }
    return canonicalDarts({ normal: cells[0], reduce: cells[1] });
  },
};
