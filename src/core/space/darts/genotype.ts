import type { DartsOp } from './op';

/** The two cell types of a genotype, in the order they are written. */
export const DARTS_CELLS = ['normal', 'reduce'] as const;

/** One cell type of a genotype. */
export type DartsCell = (typeof DARTS_CELLS)[number];

/** Intermediate nodes per cell; node k (0..3) is state k + 2, states 0 and 1 being the two previous cells' outputs. */
export const DARTS_NODE_COUNT = 4;

/** (op, input) pairs per cell: two per intermediate node. */
export const DARTS_PAIR_COUNT = 8;

/** States every cell concatenates into its output (`normal_concat` and `reduce_concat` of every DARTS genotype). */
export const DARTS_CONCAT: readonly number[] = Object.freeze([2, 3, 4, 5]);

/** One edge of a cell: `op` applied to state `input`. */
export interface DartsPair {
  /** Operation on the edge. */
  readonly op: DartsOp;
  /** State the edge reads: 0 and 1 are the previous cells, k + 2 is intermediate node k. */
  readonly input: number;
}

/**
 * A DARTS / NAS-Bench-301 genotype in memory: 8 pairs per cell, pairs 2k and 2k + 1 feeding node k, which may read
 * states 0..k+1. A canonical genotype has the two inputs of a node distinct and its two pairs sorted by input.
 */
export interface DartsGenotype {
  /** Pairs of the normal cell. */
  readonly normal: readonly DartsPair[];
  /** Pairs of the reduction cell. */
  readonly reduce: readonly DartsPair[];
}

/** Number of states pair `slot` (0..7) may read: node `slot >> 1` reads states 0..(slot >> 1) + 1. */
export function dartsInputCount(slot: number): number {
  return (slot >> 1) + 2;
}
