import type { Rng } from '../../random/rng';
import { canonicalDarts, dartsId } from './canonical';
import { DARTS_CELLS, DARTS_PAIR_COUNT, dartsInputCount, type DartsGenotype, type DartsPair } from './genotype';
import { DARTS_OPS } from './op';

/**
 * Every one-edit neighbour of a canonical genotype, in a fixed order: for the normal then the reduction cell, for
 * each pair slot in order, first each other op (DARTS_OPS order), then each other input the node may read that its
 * other pair does not (ascending). Each is returned canonical; none equals the input.
 */
function editsOf(genotype: DartsGenotype): DartsGenotype[] {
  const edits: DartsGenotype[] = [];
  for (const cell of DARTS_CELLS) {
    const pairs = genotype[cell];
    const replace = (slot: number, pair: DartsPair): void => {
      const next = pairs.map((old, i) => (i === slot ? pair : old));
      edits.push(canonicalDarts({ ...genotype, [cell]: next }));
    };
    for (let slot = 0; slot < DARTS_PAIR_COUNT; slot++) {
      const { op, input } = pairs[slot];
      for (const other of DARTS_OPS) if (other !== op) replace(slot, { op: other, input });
      const sibling = pairs[slot ^ 1].input;
      for (let state = 0; state < dartsInputCount(slot); state++) {
        if (state !== input && state !== sibling) replace(slot, { op, input: state });
      }
    }
  }
  return edits;
}

/** One random one-edit neighbour: one pair's op or input changed, uniformly among the edits of `neighboursDarts`. */
export function mutateDarts(genotype: DartsGenotype, rng: Rng): DartsGenotype {
  const edits = editsOf(genotype);
  return edits[rng.int(edits.length)];
}

/** All one-edit neighbours (one pair's op or input changed) in a fixed order, deduplicated by id (120 for any genotype). */
export function neighboursDarts(genotype: DartsGenotype): DartsGenotype[] {
  const seen = new Set<string>([dartsId(genotype)]);
  return editsOf(genotype).filter((next) => {
    const id = dartsId(next);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
