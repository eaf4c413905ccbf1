import type { Nb201Op } from './op';

/** Number of intermediate + output nodes (1..3); node 0 is the cell input, node 3 its output. */
export const NB201_NODE_COUNT = 3;

/**
 * The cell's six edges as `[to, from]`, in arch-string order: node j (1..3) takes edges from nodes 0..j-1 in order,
 * so the edges are 1←0, 2←0, 2←1, 3←0, 3←1, 3←2.
 */
export const NB201_EDGES: readonly (readonly [to: number, from: number])[] = [
  [1, 0],
  [2, 0],
  [2, 1],
  [3, 0],
  [3, 1],
  [3, 2],
];

/** Number of edges of an NB201 cell. */
export const NB201_EDGE_COUNT = 6;

/** An NB201 cell in memory: the op of each edge, in {@link NB201_EDGES} order (always 6 entries). */
export type Nb201Arch = readonly Nb201Op[];
