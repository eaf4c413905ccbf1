import type { Rng } from '../../random/rng';
import { NB201_EDGE_COUNT, type Nb201Arch } from './cell';
import { NB201_OPS, nb201OpIndex } from './op';

/** One random one-edit neighbour: a uniformly chosen edge gets a uniformly chosen different op (two draws). */
export function mutateNb201(arch: Nb201Arch, rng: Rng): Nb201Arch {
  const edge = rng.int(NB201_EDGE_COUNT);
  const shift = 1 + rng.int(NB201_OPS.length - 1);
  const next = [...arch];
  next[edge] = NB201_OPS[(nb201OpIndex(arch[edge]) + shift) % NB201_OPS.length];
  return next;
}

/** All 24 one-edit neighbours: edges in order, and for each edge the other ops in NB201_OPS order. */
export function neighboursNb201(arch: Nb201Arch): Nb201Arch[] {
  const neighbours: Nb201Arch[] = [];
  for (let edge = 0; edge < NB201_EDGE_COUNT; edge++) {
    for (const op of NB201_OPS) {
      if (op === arch[edge]) continue;
      const next = [...arch];
      next[edge] = op;
      neighbours.push(next);
    }
  }
  return neighbours;
}
