import { NB201_EDGE_COUNT, NB201_OPS, nb201OpIndex, type Nb201Arch } from '../../../core';
import type { DecisionView } from './decision-view';

/** NB201: one decision per edge (in arch-string order), five ops each; every vector is a cell. */
export const nb201DecisionView: DecisionView<Nb201Arch> = {
  sizes: new Array<number>(NB201_EDGE_COUNT).fill(NB201_OPS.length),
  toDecisions: (arch) => arch.map((op) => nb201OpIndex(op)),
  fromDecisions: (decisions) => decisions.map((d) => NB201_OPS[d]),
};
