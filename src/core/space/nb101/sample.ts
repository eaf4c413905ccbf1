import type { Rng } from '../../random/rng';
import { NB101_MAX_EDGES, NB101_MAX_VERTICES, nb101EdgeCount, type Nb101Arch } from './cell';
import { NB101_INTERIOR_OPS, type Nb101Op } from './op';
import { pruneNb101 } from './prune';

/**
 * A random valid cell the way NAS-Bench-101's `random_spec` draws one: every upper-triangle entry of a 7 × 7 matrix
 * is 1 with probability 1/2 (21 draws, row by row), each of the 5 interior vertices gets a uniform op (5 draws),
 * and the draw is repeated until the pruned cell is connected with at most 9 edges. This is uniform over 7-vertex
 * specs, not over cells: pruning makes small cells far more likely (about 10% input → output, 20% one interior
 * vertex, 0.3% seven vertices, although most of the 423,624 cells have seven), as in the benchmark's own random search.
 */
export function sampleNb101(rng: Rng): Nb101Arch {
  const n = NB101_MAX_VERTICES;
  for (;;) {
    const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) matrix[i][j] = rng.int(2);
    const ops: Nb101Op[] = ['input'];
    for (let v = 1; v < n - 1; v++) ops.push(NB101_INTERIOR_OPS[rng.int(NB101_INTERIOR_OPS.length)]);
    ops.push('output');
    const pruned = pruneNb101({ matrix, ops });
    if (pruned !== null && nb101EdgeCount(pruned) <= NB101_MAX_EDGES) return pruned;
  }
}
