import { NB201_EDGES, type Nb201Arch } from './cell';

/** Canonical NB201 arch string of a cell: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`. */
export function formatNb201(arch: Nb201Arch): string {
  let text = '|';
  for (let edge = 0; edge < NB201_EDGES.length; edge++) {
    const [to, from] = NB201_EDGES[edge];
    if (from === 0 && to > 1) text += '+|';
    text += `${arch[edge]}~${from}|`;
  }
  return text;
}
