import { ErrorCode, NashubError } from '../../error/nashub-error';
import type { Nb101Arch } from './cell';

/** Number of unique NAS-Bench-101 cells (pruned, up to isomorphism), as the benchmark reports. */
export const NB101_UNIQUE_CELLS = 423_624;

/** nb101 is not enumerated here (423,624 cells, found by graph generation); always throws NOT_ENUMERABLE. */
export function enumerateNb101(): Iterable<Nb101Arch> {
  throw new NashubError(ErrorCode.NOT_ENUMERABLE, `space nb101 (${NB101_UNIQUE_CELLS} cells) is not enumerable`, {
    details: { space: 'nb101' },
  });
}
