import type { GraphEncoding } from '../search-space';
import { NB101_MAX_VERTICES, type Nb101Arch } from './cell';
import { NB101_OPS } from './op';

/**
 * Graph encoding for a GNN (arch2vec / NASLib `gcn` style, ops on vertices): 7 nodes, the cell's vertices first and
 * zero padding after them; `features[v]` is a one-hot over NB101_OPS (input, conv3x3, conv1x1, maxpool, output) and
 * all zero for padding; `adjacency` is the cell's matrix in the top-left corner; `outputNode` is the output vertex
 * (n - 1 for an n-vertex cell).
 */
export function nb101AdjacencyEncoding(arch: Nb101Arch): GraphEncoding {
  const n = arch.matrix.length;
  const size = NB101_MAX_VERTICES;
  const features = Array.from({ length: size }, (_, v) => NB101_OPS.map((op) => (v < n && arch.ops[v] === op ? 1 : 0)));
  const adjacency = Array.from({ length: size }, (_, u) =>
    Array.from({ length: size }, (_, v) => (u < n && v < n ? arch.matrix[u][v] : 0)),
  );
  return { kind: 'adjacency', features, adjacency, outputNode: n - 1 };
}
