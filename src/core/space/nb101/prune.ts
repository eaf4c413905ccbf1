import type { Nb101Arch } from './cell';

/**
 * Removes every vertex that is not on an input → output path, as NAS-Bench-101's `ModelSpec._prune` does, keeping
 * the order of the rest; returns null when the output is not reachable from the input (NB101: `valid_spec = False`).
 * The matrix must be strictly upper-triangular. The result is always a fresh object.
 */
export function pruneNb101(arch: Nb101Arch): Nb101Arch | null {
  const { matrix, ops } = arch;
  const n = matrix.length;
  const fromInput = new Array<boolean>(n).fill(false);
  const toOutput = new Array<boolean>(n).fill(false);
  fromInput[0] = true;
  for (let v = 1; v < n; v++) {
    for (let u = 0; u < v && !fromInput[v]; u++) fromInput[v] = fromInput[u] && matrix[u][v] === 1;
  }
  toOutput[n - 1] = true;
  for (let u = n - 2; u >= 0; u--) {
    for (let v = u + 1; v < n && !toOutput[u]; v++) toOutput[u] = toOutput[v] && matrix[u][v] === 1;
  }
  if (!fromInput[n - 1]) return null;
  const keep: number[] = [];
  for (let v = 0; v < n; v++) if (fromInput[v] && toOutput[v]) keep.push(v);
  return {
    matrix: keep.map((u) => keep.map((v) => matrix[u][v])),
    ops: keep.map((v) => ops[v]),
  };
}
