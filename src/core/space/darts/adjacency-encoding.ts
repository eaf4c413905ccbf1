import type { GraphEncoding } from '../search-space';
import { DARTS_CELLS, DARTS_PAIR_COUNT, type DartsGenotype } from './genotype';
import { DARTS_OPS, dartsOpIndex } from './op';

/** Node feature columns of the adjacency encoding: `input`, the seven ops, `output`. */
export const DARTS_GRAPH_FEATURES = ['input', ...DARTS_OPS, 'output'] as const;

/** Nodes per cell block: two inputs, eight op nodes, one output. */
const BLOCK = 2 + DARTS_PAIR_COUNT + 1;

/** Number of graph nodes: one block per cell. */
export const DARTS_GRAPH_NODE_COUNT = DARTS_CELLS.length * BLOCK;

/**
 * Op-as-node graph of a canonical genotype for a GNN: one 11-node block per cell, normal cell first (nodes 0..10),
 * reduction cell second (11..21). In a block, nodes 0 and 1 are the input states, node 2 + s is pair slot s's op,
 * node 10 the cell output; `adjacency[a][b] = 1` when data flows from a to b: input state → the ops reading it, the
 * op of slot s → the ops reading node s / 2 (state s / 2 + 2), and every op → the output (a DARTS cell concatenates
 * all four nodes). The normal block's output feeds both inputs of the reduction block (in the network, reduction
 * cells read the outputs of normal cells), and the reduction block's output is `outputNode`. 22 nodes, no padding.
 */
export function dartsAdjacencyEncoding(genotype: DartsGenotype): GraphEncoding {
  const size = DARTS_GRAPH_NODE_COUNT;
  const features = Array.from({ length: size }, () => new Array<number>(DARTS_GRAPH_FEATURES.length).fill(0));
  const adjacency = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  DARTS_CELLS.forEach((cell, c) => {
    const base = c * BLOCK;
    const output = base + BLOCK - 1;
    features[base][0] = 1;
    features[base + 1][0] = 1;
    features[output][DARTS_GRAPH_FEATURES.length - 1] = 1;
    genotype[cell].forEach(({ op, input }, slot) => {
      const node = base + 2 + slot;
      features[node][1 + dartsOpIndex(op)] = 1;
      adjacency[node][output] = 1;
      if (input < 2) {
        adjacency[base + input][node] = 1;
      } else {
        // State `input` is intermediate node input - 2, the sum of slots 2(input - 2) and 2(input - 2) + 1.
        const producer = base + 2 + 2 * (input - 2);
        adjacency[producer][node] = 1;
        adjacency[producer + 1][node] = 1;
      }
    });
  });
  adjacency[BLOCK - 1][BLOCK] = 1;
  adjacency[BLOCK - 1][BLOCK + 1] = 1;
  return { kind: 'adjacency', features, adjacency, outputNode: size - 1 };
}
