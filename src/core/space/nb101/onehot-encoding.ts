import type { VectorEncoding } from '../search-space';
import { NB101_MAX_VERTICES, type Nb101Arch } from './cell';
import { NB101_INTERIOR_OPS, nb101InteriorOpIndex } from './op';

/** Length of the one-hot encoding: 21 upper-triangle bits of a 7 × 7 matrix + 5 interior vertices × 3 ops. */
export const NB101_ONEHOT_LENGTH = 36;

/**
 * Adjacency + op one-hot encoding (NASLib's `adjacency_one_hot` layout): the cell is padded to 7 vertices by
 * inserting empty vertices before the output, so the output is always vertex 6 and bit positions keep their meaning
 * across cell sizes; then the 21 upper-triangle entries row by row, then for vertices 1..5 a one-hot over
 * NB101_INTERIOR_OPS (conv3x3, conv1x1, maxpool; all zero for a padding vertex).
 */
export function nb101OnehotEncoding(arch: Nb101Arch): VectorEncoding {
  const n = arch.matrix.length;
  const size = NB101_MAX_VERTICES;
  // Position of each padded vertex in the cell, or -1 for padding.
  const source = (p: number): number => (p === size - 1 ? n - 1 : p < n - 1 ? p : -1);
  const vector: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const [u, v] = [source(i), source(j)];
      vector.push(u >= 0 && v >= 0 ? arch.matrix[u][v] : 0);
    }
  }
  for (let p = 1; p < size - 1; p++) {
    const bits = new Array<number>(NB101_INTERIOR_OPS.length).fill(0);
    const u = source(p);
    if (u >= 0) bits[nb101InteriorOpIndex(arch.ops[u])] = 1;
    vector.push(...bits);
  }
  return { kind: 'onehot', vector };
}
