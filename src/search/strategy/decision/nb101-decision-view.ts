import {
  NB101_INTERIOR_OPS,
  NB101_MAX_EDGES,
  NB101_MAX_VERTICES,
  nb101EdgeCount,
  nb101InteriorOpIndex,
  pruneNb101,
  type Nb101Arch,
  type Nb101Op,
} from '../../../core';
import type { DecisionView } from './decision-view';

const N = NB101_MAX_VERTICES;
const EDGE_SLOTS = (N * (N - 1)) / 2;

/**
 * NB101 as NAS-Bench-101's own random spec draws it: the 21 upper-triangle bits of a 7 × 7 matrix, then an op for each
 * of the 5 interior vertices. A pruned cell with fewer vertices keeps its vertices first and its output last; the
 * vertices it lacks get no edges and op 0. A vector is a cell when its pruned graph connects input to output with at
 * most 9 edges.
 */
export const nb101DecisionView: DecisionView<Nb101Arch> = {
  sizes: [...new Array<number>(EDGE_SLOTS).fill(2), ...new Array<number>(N - 2).fill(NB101_INTERIOR_OPS.length)],
  toDecisions(arch) {
    const n = arch.ops.length;
    const place = (v: number) => (v === n - 1 ? N - 1 : v);
    const matrix = Array.from({ length: N }, () => new Array<number>(N).fill(0));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) matrix[place(i)][place(j)] = arch.matrix[i][j];
    const bits: number[] = [];
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) bits.push(matrix[i][j]);
    const ops = new Array<number>(N - 2).fill(0);
    for (let v = 1; v < n - 1; v++) ops[v - 1] = nb101InteriorOpIndex(arch.ops[v]);
    return [...bits, ...ops];
  },
  fromDecisions(decisions) {
    const matrix = Array.from({ length: N }, () => new Array<number>(N).fill(0));
    let k = 0;
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) matrix[i][j] = decisions[k++];
    const ops: Nb101Op[] = ['input', ...decisions.slice(EDGE_SLOTS).map((d) => NB101_INTERIOR_OPS[d]), 'output'];
    const pruned = pruneNb101({ matrix, ops });
    return pruned !== null && nb101EdgeCount(pruned) <= NB101_MAX_EDGES ? pruned : null;
  },
};
