import type { GraphEncoding } from '../search-space';
import { NB201_EDGES, type Nb201Arch } from './cell';
import { NB201_OPS, nb201OpIndex } from './op';

/** Node feature columns of the adjacency encoding: `input`, the five ops, `output`. */
export const NB201_GRAPH_FEATURES = ['input', ...NB201_OPS, 'output'] as const;

/** Number of graph nodes: input, one per edge, output. */
export const NB201_GRAPH_NODE_COUNT = 8;

/**
 * Op-as-node graph for a GNN (as in arch2vec / NASLib's nb201 graph): node 0 is the cell input, node 1 + e is edge
 * e's op (NB201_EDGES order), node 7 the output. The graph always has 8 nodes so batches need no padding.
 * `adjacency[a][b] = 1` when data flows from a to b: input → edges leaving cell node 0, edge (j←i) → edges leaving
 * cell node j, edges entering cell node 3 → output. A `none` edge carries no data, so its op node keeps its `none`
 * feature but gets no in- or out-edges.
 */
export function nb201AdjacencyEncoding(arch: Nb201Arch): GraphEncoding {
  const size = NB201_GRAPH_NODE_COUNT;
  const output = size - 1;
  const features = Array.from({ length: size }, () => new Array<number>(NB201_GRAPH_FEATURES.length).fill(0));
  const adjacency = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  features[0][0] = 1;
  features[output][NB201_GRAPH_FEATURES.length - 1] = 1;
  for (let edge = 0; edge < NB201_EDGES.length; edge++) {
    features[1 + edge][1 + nb201OpIndex(arch[edge])] = 1;
    if (arch[edge] === 'none') continue;
    const [to, from] = NB201_EDGES[edge];
    if (from === 0) adjacency[0][1 + edge] = 1;
    if (to === 3) adjacency[1 + edge][output] = 1;
    for (let next = 0; next < NB201_EDGES.length; next++) {
      if (NB201_EDGES[next][1] === to && arch[next] !== 'none') adjacency[1 + edge][1 + next] = 1;
    }
  }
  return { kind: 'adjacency', features, adjacency, outputNode: output };
}
