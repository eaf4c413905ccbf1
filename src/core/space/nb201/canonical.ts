import type { Nb201Arch } from './cell';
import { nb201CellExpression } from './cell-expression';

/**
 * Isomorphism class of a cell: the output node as an expression (see `nb201CellExpression`) where zero terms are
 * dropped from every sum. Rules, settled so that the 15,625 cells fall into exactly 5,390 classes:
 * - `skip_connect` passes its input through; `none` contributes nothing;
 * - any op (conv, pooling, skip) applied to a zero node is zero — true for pooling and skip, and taken as the rule
 *   for ReLU-Conv-BN too although BN's shift makes conv(0) a constant in a trained network;
 * - a zero term is dropped from a node's sum, and a node whose every term is zero is zero (`#`);
 * - the terms of each node are sorted, so swapping parallel branches does not change the class.
 * Sums passed through `skip_connect` are not flattened into the outer sum (NATS-Bench notation); flattening them as
 * well would merge further, to 4,930 classes.
 */
export function nb201IsoClass(arch: Nb201Arch): string {
  return nb201CellExpression(arch, { dropZeroTerms: true });
}
