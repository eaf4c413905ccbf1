import { NB201_EDGES, NB201_EDGE_COUNT, type Nb201Arch } from './cell';
import { NB201_OPS, nb201OpIndex } from './op';

/**
 * Canonical strings by cell (the edges' op indices as base-5 digits): each of the 15,625 made once, then shared, so a
 * batch of lookups neither builds nor re-hashes the same ~90 characters per item.
 */
const canonical = new Array<string | undefined>(NB201_OPS.length ** NB201_EDGE_COUNT);

/** Canonical NB201 arch string of a cell: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`. */
export function formatNb201(arch: Nb201Arch): string {
  let cell = 0;
  for (let edge = 0; edge < NB201_EDGE_COUNT; edge++) cell = cell * NB201_OPS.length + nb201OpIndex(arch[edge]);
  return (canonical[cell] ??= build(arch));
}

function build(arch: Nb201Arch): string {
  let text = '|';
  for (let edge = 0; edge < NB201_EDGES.length; edge++) {
    const [to, from] = NB201_EDGES[edge];
    if (from === 0 && to > 1) text += '+|';
    text += `${arch[edge]}~${from}|`;
  }
  return text;
}
