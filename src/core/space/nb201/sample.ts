import type { Rng } from '../../random/rng';
import { NB201_EDGE_COUNT, type Nb201Arch } from './cell';
import { NB201_OPS, type Nb201Op } from './op';

/** Uniform sample over the 15,625 cells: each edge's op drawn independently, six draws per cell. */
export function sampleNb201(rng: Rng): Nb201Arch {
  const ops: Nb201Op[] = [];
  for (let edge = 0; edge < NB201_EDGE_COUNT; edge++) ops.push(NB201_OPS[rng.int(NB201_OPS.length)]);
  return ops;
}
