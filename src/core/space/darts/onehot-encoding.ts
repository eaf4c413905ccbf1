import type { VectorEncoding } from '../search-space';
import { DARTS_CELLS, DARTS_NODE_COUNT, DARTS_PAIR_COUNT, type DartsGenotype } from './genotype';
import { DARTS_OPS, dartsOpIndex } from './op';

/** States a pair may read: the two previous cells and nodes 0..2. */
const INPUT_STATES = DARTS_NODE_COUNT + 1;

/** Length of the one-hot encoding: 2 cells × 8 pairs × (7 ops + 5 inputs). */
export const DARTS_ONEHOT_LENGTH = DARTS_CELLS.length * DARTS_PAIR_COUNT * (DARTS_OPS.length + INPUT_STATES);

/**
 * One-hot encoding of a canonical genotype: for the normal then the reduction cell, for each of the 8 pair slots,
 * a one-hot over DARTS_OPS (7) then a one-hot over the input state 0..4 (5); 192 bits.
 */
export function dartsOnehotEncoding(genotype: DartsGenotype): VectorEncoding {
  const vector: number[] = [];
  for (const cell of DARTS_CELLS) {
    for (const { op, input } of genotype[cell]) {
      const ops = new Array<number>(DARTS_OPS.length).fill(0);
      const inputs = new Array<number>(INPUT_STATES).fill(0);
      ops[dartsOpIndex(op)] = 1;
      inputs[input] = 1;
      vector.push(...ops, ...inputs);
    }
  }
  return { kind: 'onehot', vector };
}
