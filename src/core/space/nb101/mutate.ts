import { invariant } from '../../error/invariant';
import type { Rng } from '../../random/rng';
import type { Nb101Arch } from './cell';
import { nb101Hash } from './canonical';
import { applyNb101Edit, nb101Edits } from './edit';

/**
 * One random one-edit neighbour (see `nb101Edits`): edits are drawn uniformly without replacement until one gives a
 * valid cell. Every edit changes the cell's isomorphism class, so the result never has the input's id.
 */
export function mutateNb101(arch: Nb101Arch, rng: Rng): Nb101Arch {
  const edits = nb101Edits(arch);
  while (edits.length > 0) {
    const pick = rng.int(edits.length);
    const next = applyNb101Edit(arch, edits[pick]);
    if (next !== null) return next;
    edits[pick] = edits[edits.length - 1];
    edits.pop();
  }
  // A cell with an interior vertex has op changes; input → output alone can insert a vertex.
  invariant(false, 'a valid nb101 cell has no valid one-edit neighbour');
}

/** All valid one-edit neighbours in `nb101Edits` order, keeping the first cell of each id and never the input's. */
export function neighboursNb101(arch: Nb101Arch): Nb101Arch[] {
  const seen = new Set<string>([nb101Hash(arch)]);
  const neighbours: Nb101Arch[] = [];
  for (const edit of nb101Edits(arch)) {
    const next = applyNb101Edit(arch, edit);
    if (next === null) continue;
    const id = nb101Hash(next);
    if (seen.has(id)) continue;
    seen.add(id);
    neighbours.push(next);
  }
  return neighbours;
}
