import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import { NB201_EDGE_COUNT, type Nb201Arch } from './cell';
import { Nb201InvalidReason } from './invalid-reason';
import { isNb201Op, NB201_OPS, type Nb201Op } from './op';
import { parseNb201 } from './parse';

/**
 * Checks an untrusted value and returns the canonical cell: an arch string (see `parseNb201`) or an array of six op
 * names in edge order (1←0, 2←0, 2←1, 3←0, 3←1, 3←2). The result is a fresh array, never the caller's.
 */
export function validateNb201(value: unknown): Nb201Arch {
  if (typeof value === 'string') return parseNb201(value);
  if (!Array.isArray(value)) {
    throw new InvalidArchitectureError('an nb201 architecture is an arch string or an array of 6 op names', {
      space: 'nb201',
      reason: Nb201InvalidReason.WRONG_TYPE,
    });
  }
  if (value.length !== NB201_EDGE_COUNT) {
    throw new InvalidArchitectureError(`an nb201 cell has ${NB201_EDGE_COUNT} edges, got ${value.length}`, {
      space: 'nb201',
      field: 'ops',
      reason: Nb201InvalidReason.WRONG_EDGE_COUNT,
    });
  }
  const ops: Nb201Op[] = [];
  for (let edge = 0; edge < NB201_EDGE_COUNT; edge++) {
    const op: unknown = value[edge];
    if (!isNb201Op(op)) {
      // Bounded: the value may be arbitrarily large untrusted input.
      const shown = typeof op === 'string' ? JSON.stringify(op.slice(0, 40)) : typeof op;
      throw new InvalidArchitectureError(`unknown op ${shown} at ops[${edge}] (ops: ${NB201_OPS.join(' ')})`, {
        space: 'nb201',
        field: `ops[${edge}]`,
        reason: Nb201InvalidReason.UNKNOWN_OP,
      });
    }
    ops.push(op);
  }
  return ops;
}
