import { NB101_MAX_EDGES, NB101_MAX_VERTICES, nb101EdgeCount, type Nb101Arch } from './cell';
import { NB101_INTERIOR_OPS, type Nb101InteriorOp } from './op';
import { pruneNb101 } from './prune';

/**
 * One edit of a cell:
 * - `flip`: add or remove the edge from → to;
 * - `op`: relabel interior vertex `vertex` with `op`;
 * - `insert`: add a vertex labelled `op` with edges from → new → to (only while the cell has fewer than 7 vertices).
 */
export type Nb101Edit =
  | { kind: 'flip'; from: number; to: number }
  | { kind: 'op'; vertex: number; op: Nb101InteriorOp }
  | { kind: 'insert'; from: number; to: number; op: Nb101InteriorOp };

/**
 * Every edit of a canonical cell, in a fixed order: edge flips (row-major over i < j), then op changes (vertex by
 * vertex, other ops in NB101_INTERIOR_OPS order), then vertex insertions (over from < to, then op).
 *
 * Porting note: NAS-Bench-101 mutates the unpruned 7-vertex spec, whose dangling vertices can be reconnected by a
 * later edge flip. A canonical cell is pruned and has no dangling vertices, so edge flips and op changes alone could
 * never add a vertex and a search would only ever shrink cells; `insert` is the one-step equivalent of NB101
 * reconnecting a dangling vertex (two edges to a vertex that was not on any path).
 */
export function nb101Edits(arch: Nb101Arch): Nb101Edit[] {
  const n = arch.matrix.length;
  const edits: Nb101Edit[] = [];
  for (let from = 0; from < n; from++) for (let to = from + 1; to < n; to++) edits.push({ kind: 'flip', from, to });
  for (let vertex = 1; vertex < n - 1; vertex++) {
    for (const op of NB101_INTERIOR_OPS) if (op !== arch.ops[vertex]) edits.push({ kind: 'op', vertex, op });
  }
  if (n < NB101_MAX_VERTICES) {
    for (let from = 0; from < n; from++) {
      for (let to = from + 1; to < n; to++)
        for (const op of NB101_INTERIOR_OPS) edits.push({ kind: 'insert', from, to, op });
    }
  }
  return edits;
}

/** The canonical (pruned) cell an edit gives, or null when it is invalid (disconnected, or over 9 edges). */
export function applyNb101Edit(arch: Nb101Arch, edit: Nb101Edit): Nb101Arch | null {
  let matrix = arch.matrix.map((row) => [...row]);
  let ops = [...arch.ops];
  if (edit.kind === 'flip') {
    matrix[edit.from][edit.to] = 1 - matrix[edit.from][edit.to];
  } else if (edit.kind === 'op') {
    ops[edit.vertex] = edit.op;
  } else {
    // The new vertex goes right before `to`, which keeps vertex order topological (from < new < to).
    const at = edit.to;
    matrix = matrix.map((row) => [...row.slice(0, at), 0, ...row.slice(at)]);
    matrix.splice(at, 0, new Array<number>(matrix[0].length).fill(0));
    matrix[edit.from][at] = 1;
    matrix[at][edit.to + 1] = 1;
    ops = [...ops.slice(0, at), edit.op, ...ops.slice(at)];
  }
  const pruned = pruneNb101({ matrix, ops });
  return pruned !== null && nb101EdgeCount(pruned) <= NB101_MAX_EDGES ? pruned : null;
}
