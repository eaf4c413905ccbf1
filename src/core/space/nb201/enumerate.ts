import { NB201_EDGE_COUNT, type Nb201Arch } from './cell';
import { NB201_OPS, type Nb201Op } from './op';

/** Number of NB201 cells: 5 ops on each of 6 edges. */
export const NB201_SIZE = NB201_OPS.length ** NB201_EDGE_COUNT;

/**
 * Every cell once, in base-5 odometer order over NB201_OPS with edge 0 most significant (the last edge changes
 * fastest). This is NOT the official NAS-Bench-201 arch_index, which is a table order with no formula.
 */
export function* enumerateNb201(): Generator<Nb201Arch> {
  for (let index = 0; index < NB201_SIZE; index++) {
    const ops = new Array<Nb201Op>(NB201_EDGE_COUNT);
    let rest = index;
    for (let edge = NB201_EDGE_COUNT - 1; edge >= 0; edge--) {
      ops[edge] = NB201_OPS[rest % NB201_OPS.length];
      rest = Math.floor(rest / NB201_OPS.length);
    }
    yield ops;
  }
}
