import type { Nb101Arch } from './cell';

/**
 * Compact JSON of a cell, `{"matrix":[[0,1],[0,0]],"ops":["input","output"]}`, in the cell's own vertex order.
 * For a canonical (pruned) cell `parseNb101(formatNb101(a))` equals `a`. The text is not canonical under
 * isomorphism: two vertex orders of one cell format differently but share their id (the module hash).
 */
export function formatNb101(arch: Nb101Arch): string {
  return JSON.stringify({ matrix: arch.matrix, ops: arch.ops });
}
