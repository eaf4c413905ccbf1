import type { VectorEncoding } from '../search-space';
import type { Nb101Arch } from './cell';
import { NB101_INTERIOR_OPS, nb101InteriorOpIndex } from './op';

/** Length of the path encoding: op sequences of length 0..5 over 3 ops, 1 + 3 + 9 + 27 + 81 + 243. */
export const NB101_PATH_LENGTH = 364;

/**
 * BANANAS path encoding (White et al. 2021; NASLib `encode_paths`): one bit per input → output path, indexed by its
 * interior op sequence (o1..oL): `Σ 3^(i-1) · (oi + 1)` with op indices in NB101_INTERIOR_OPS order, which numbers
 * length-0 paths 0, length-1 paths 1..3, length-2 paths 4..12, and so on up to 363. Paths with the same op
 * sequence share a bit.
 */
export function nb101PathEncoding(arch: Nb101Arch): VectorEncoding {
  const { matrix, ops } = arch;
  const n = matrix.length;
  // indices[v] = path indices of input → v paths, with the place value of the next op.
  const indices: { index: number; scale: number }[][] = Array.from({ length: n }, () => []);
  indices[0].push({ index: 0, scale: 1 });
  for (let v = 1; v < n; v++) {
    for (let u = 0; u < v; u++) {
      if (!matrix[u][v]) continue;
      for (const path of indices[u]) {
        if (u === 0) {
          indices[v].push(path);
        } else {
          const op = nb101InteriorOpIndex(ops[u]);
          indices[v].push({ index: path.index + path.scale * (op + 1), scale: path.scale * NB101_INTERIOR_OPS.length });
        }
      }
    }
  }
  const vector = new Array<number>(NB101_PATH_LENGTH).fill(0);
  for (const path of indices[n - 1]) vector[path.index] = 1;
  return { kind: 'path', vector };
}
