import { NB101_MAX_EDGES, NB101_MAX_VERTICES, nb101EdgeCount, type Nb101Arch } from './cell';
import { failNb101 } from './fail';
import { Nb101InvalidReason } from './invalid-reason';
import { isNb101Op, NB101_OPS, type Nb101Op } from './op';
import { pruneNb101 } from './prune';

const FIELDS = new Set(['matrix', 'ops']);

/** A short, bounded rendering of an untrusted value for messages. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function checkMatrix(value: unknown): number[][] {
  if (!Array.isArray(value))
    failNb101('matrix must be an array of rows', Nb101InvalidReason.NOT_SQUARE, { field: 'matrix' });
  const n = value.length;
  if (n > NB101_MAX_VERTICES) {
    failNb101(`a cell has at most ${NB101_MAX_VERTICES} vertices, got ${n}`, Nb101InvalidReason.TOO_MANY_VERTICES, {
      field: 'matrix',
    });
  }
  if (n < 2)
    failNb101(`a cell has at least 2 vertices, got ${n}`, Nb101InvalidReason.TOO_FEW_VERTICES, { field: 'matrix' });
  const matrix: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: unknown = value[i];
    if (!Array.isArray(row) || row.length !== n) {
      failNb101(`matrix[${i}] must be a row of ${n} entries`, Nb101InvalidReason.NOT_SQUARE, { field: `matrix[${i}]` });
    }
    for (let j = 0; j < n; j++) {
      if (row[j] !== 0 && row[j] !== 1) {
        failNb101(`matrix[${i}][${j}] must be 0 or 1, got ${shown(row[j])}`, Nb101InvalidReason.BAD_ENTRY, {
          field: `matrix[${i}][${j}]`,
        });
      }
    }
    matrix.push([...(row as number[])]);
  }
  return matrix;
}

function checkOps(value: unknown, n: number): Nb101Op[] {
  if (!Array.isArray(value) || value.length !== n) {
    const got = Array.isArray(value) ? `${value.length} labels` : shown(value);
    failNb101(`ops must list one label per vertex (${n}), got ${got}`, Nb101InvalidReason.SIZE_MISMATCH, {
      field: 'ops',
    });
  }
  value.forEach((op: unknown, k) => {
    if (!isNb101Op(op)) {
      failNb101(`unknown op ${shown(op)} at ops[${k}] (ops: ${NB101_OPS.join(' ')})`, Nb101InvalidReason.UNKNOWN_OP, {
        field: `ops[${k}]`,
      });
    }
  });
  const ops = value as Nb101Op[];
  if (ops[0] !== 'input')
    failNb101(`ops[0] must be "input", got ${shown(ops[0])}`, Nb101InvalidReason.MISSING_INPUT, { field: 'ops[0]' });
  if (ops[n - 1] !== 'output') {
    failNb101(`ops[${n - 1}] must be "output", got ${shown(ops[n - 1])}`, Nb101InvalidReason.MISSING_OUTPUT, {
      field: `ops[${n - 1}]`,
    });
  }
  for (let k = 1; k < n - 1; k++) {
    if (ops[k] === 'input' || ops[k] === 'output') {
      failNb101(
        `"${ops[k]}" may only label the first or last vertex, found at ops[${k}]`,
        Nb101InvalidReason.MISPLACED_IO,
        { field: `ops[${k}]` },
      );
    }
  }
  return [...ops];
}

/**
 * Checks an untrusted value `{ matrix, ops }` and returns the canonical (pruned) cell; throws InvalidArchitectureError
 * naming the field at fault. Checks, in order: shape (2..7 vertices, square, entries 0/1), labels (known, `input`
 * first, `output` last and nowhere else), strict upper-triangularity (so the graph is a DAG in vertex order), then
 * prunes vertices off every input → output path (`disconnected` when none is left) and allows at most 9 edges.
 *
 * Porting note: like NAS-Bench-101's `api.is_valid`, the edge limit applies to the pruned cell, so a 7-vertex spec
 * whose dangling edges take it over 9 is still accepted when its pruned cell has 9 or fewer; the vertex limit and
 * triangularity apply to the cell as given (NB101's `ModelSpec` rejects a non-triangular matrix before pruning).
 */
export function validateNb101(value: unknown): Nb101Arch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failNb101(
      `an nb101 cell is an object {"matrix": [[...]], "ops": [...]}, got ${shown(value)}`,
      Nb101InvalidReason.WRONG_TYPE,
    );
  }
  for (const key of Object.keys(value)) {
    if (!FIELDS.has(key))
      failNb101(`unknown field ${shown(key)}`, Nb101InvalidReason.UNKNOWN_FIELD, { field: key.slice(0, 40) });
  }
  const record = value as Record<string, unknown>;
  if (record.matrix === undefined) failNb101('missing "matrix"', Nb101InvalidReason.MISSING_FIELD, { field: 'matrix' });
  if (record.ops === undefined) failNb101('missing "ops"', Nb101InvalidReason.MISSING_FIELD, { field: 'ops' });
  const matrix = checkMatrix(record.matrix);
  const n = matrix.length;
  const ops = checkOps(record.ops, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      if (matrix[i][j] !== 0) {
        failNb101(
          `matrix[${i}][${j}] is on or below the diagonal; the matrix must be strictly upper-triangular`,
          Nb101InvalidReason.NOT_UPPER_TRIANGULAR,
          { field: `matrix[${i}][${j}]` },
        );
      }
    }
  }
  const pruned = pruneNb101({ matrix, ops });
  if (pruned === null) failNb101('no path from input to output', Nb101InvalidReason.DISCONNECTED, { field: 'matrix' });
  const edges = nb101EdgeCount(pruned);
  if (edges > NB101_MAX_EDGES) {
    failNb101(
      `a cell has at most ${NB101_MAX_EDGES} edges after pruning, got ${edges}`,
      Nb101InvalidReason.TOO_MANY_EDGES,
      { field: 'matrix' },
    );
  }
  return pruned;
}
