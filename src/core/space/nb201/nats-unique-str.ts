import type { Nb201Arch } from './cell';
import { nb201CellExpression } from './cell-expression';

/**
 * NATS-Bench's `Structure.to_unique_str(consider_zero=True)`: like the isomorphism class but zero terms stay in the
 * sums, so `0+#` and `0` differ. The 15,625 cells give 6,466 strings (the "unique" count NAS-Bench-201 reports).
 */
export function natsUniqueStr(arch: Nb201Arch): string {
  return nb201CellExpression(arch, { dropZeroTerms: false });
}
