import type { Nb101Op } from './op';

/** Most vertices a NAS-Bench-101 cell may have, input and output included. */
export const NB101_MAX_VERTICES = 7;

/** Most edges a (pruned) NAS-Bench-101 cell may have. */
export const NB101_MAX_EDGES = 9;

/**
 * A NAS-Bench-101 cell in memory: a square 0/1 adjacency matrix (`matrix[i][j] = 1` for an edge i → j, strictly
 * upper-triangular, so vertex order is a topological order) and one label per vertex, `input` first and `output` last.
 * A canonical cell is pruned: every vertex lies on an input → output path (see `pruneNb101`).
 */
export interface Nb101Arch {
  /** n × n adjacency, 2 ≤ n ≤ 7. */
  readonly matrix: readonly (readonly number[])[];
  /** n labels. */
  readonly ops: readonly Nb101Op[];
}

/** Number of edges (ones) of a cell's matrix. */
export function nb101EdgeCount(arch: Nb101Arch): number {
  let edges = 0;
  for (const row of arch.matrix) for (const bit of row) edges += bit;
  return edges;
}
