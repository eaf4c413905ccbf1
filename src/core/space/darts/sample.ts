import type { Rng } from '../../random/rng';
import { canonicalDarts } from './canonical';
import { DARTS_CELLS, DARTS_NODE_COUNT, type DartsGenotype, type DartsPair } from './genotype';
import { DARTS_OPS } from './op';

function sampleCell(rng: Rng): DartsPair[] {
  const pairs: DartsPair[] = [];
  for (let node = 0; node < DARTS_NODE_COUNT; node++) {
    const states = node + 2;
    const first = rng.int(states);
    const other = rng.int(states - 1);
    const second = other >= first ? other + 1 : other;
    pairs.push({ op: DARTS_OPS[rng.int(DARTS_OPS.length)], input: first });
    pairs.push({ op: DARTS_OPS[rng.int(DARTS_OPS.length)], input: second });
  }
  return pairs;
}

/**
 * Uniform sample over canonical genotypes, as NAS-Bench-301's configuration space draws them: for each node of the
 * normal then the reduction cell, two distinct inputs uniformly among the states it may read (2 draws) and an op
 * uniformly for each (2 draws).
 */
export function sampleDarts(rng: Rng): DartsGenotype {
  const [normal, reduce] = DARTS_CELLS.map(() => sampleCell(rng));
  return canonicalDarts({ normal, reduce });
}
