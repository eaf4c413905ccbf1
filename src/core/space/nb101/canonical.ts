import * as crypto from 'node:crypto';
import type { Nb101Arch } from './cell';
import { nb101InteriorOpIndex } from './op';

/**
 * MD5 hex digest. The hash makes up to 57 digests of short strings, so the one-shot `crypto.hash` (Node ≥ 20.12,
 * about twice as fast as a Hash object) is used where it exists.
 */
const md5: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('md5', text, 'hex')
    : (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

/** NAS-Bench-101's integer label of a vertex: -1 input, -2 output, else the op's index in `available_ops`. */
function hashLabel(op: string): number {
  if (op === 'input') return -1;
  if (op === 'output') return -2;
  return nb101InteriorOpIndex(op);
}

/**
 * NAS-Bench-101's module hash (`graph_util.hash_module` over `ModelSpec.hash_spec` labels) of a pruned cell: the
 * id the benchmark's tables are keyed by. It is a Weisfeiler-Lehman-style fingerprint, so every vertex order of a
 * cell gives the same hash:
 * 1. vertex v starts as MD5 of the Python text of the tuple `(out_degree, in_degree, label)`, e.g. `(3, 0, -1)`;
 * 2. n times (n = vertex count), all vertices at once: MD5 of `''.join(sorted(pred hashes)) + '|' +
 *    ''.join(sorted(succ hashes)) + '|' + own hash`;
 * 3. the fingerprint is MD5 of the Python list repr of the sorted hashes, `['h1', 'h2', ...]`.
 * Hex digests are ASCII, so JavaScript's default string sort equals Python's `sorted`.
 */
export function nb101Hash(arch: Nb101Arch): string {
  const { matrix, ops } = arch;
  const n = matrix.length;
  let hashes = ops.map((op, v) => {
    let out = 0;
    let inDegree = 0;
    for (let w = 0; w < n; w++) {
      out += matrix[v][w];
      inDegree += matrix[w][v];
    }
    return md5(`(${out}, ${inDegree}, ${hashLabel(op)})`);
  });
  for (let round = 0; round < n; round++) {
    hashes = hashes.map((own, v) => {
      const preds: string[] = [];
      const succs: string[] = [];
      for (let w = 0; w < n; w++) {
        if (matrix[w][v]) preds.push(hashes[w]);
        if (matrix[v][w]) succs.push(hashes[w]);
      }
      return md5(`${preds.sort().join('')}|${succs.sort().join('')}|${own}`);
    });
  }
  return md5(
    `[${[...hashes]
      .sort()
      .map((hash) => `'${hash}'`)
      .join(', ')}]`,
  );
}
