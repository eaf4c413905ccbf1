import type { VectorEncoding } from '../search-space';
import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Arch } from './cell';
import { NB201_OPS, nb201OpIndex } from './op';

/** Length of the path encoding: op sequences of length 1, 2 and 3 over 5 ops, 5 + 25 + 125. */
export const NB201_PATH_LENGTH = 155;

/** Every input→output path of the cell as a list of edge indices (4 paths: 0→3, 0→1→3, 0→2→3, 0→1→2→3). */
const PATHS: readonly (readonly number[])[] = (() => {
  const paths: number[][] = [];
  const walk = (node: number, edges: number[]): void => {
    if (node === NB201_NODE_COUNT) {
      paths.push(edges);
      return;
    }
    NB201_EDGES.forEach(([to, from], edge) => {
      if (from === node) walk(to, [...edges, edge]);
    });
  };
  walk(0, []);
  return paths;
})();

/**
 * BANANAS path encoding (White et al. 2021): bit set for each input→output path, indexed by its op sequence. A path
 * of length L with ops (o1..oL) has index `offset(L) + Σ oi·5^(L-i)`, offsets 0, 5, 30; op indices follow
 * NB201_OPS. A `none` edge breaks every path through it, so bits of sequences containing `none` stay 0 — kept in
 * the layout so the indexing is the plain base-5 one.
 */
export function nb201PathEncoding(arch: Nb201Arch): VectorEncoding {
  const vector = new Array<number>(NB201_PATH_LENGTH).fill(0);
  for (const path of PATHS) {
    if (path.some((edge) => arch[edge] === 'none')) continue;
    let index = 0;
    for (const edge of path) index = index * NB201_OPS.length + nb201OpIndex(arch[edge]);
    const offset = path.length === 1 ? 0 : path.length === 2 ? 5 : 30;
    vector[offset + index] = 1;
  }
  return { kind: 'path', vector };
}
