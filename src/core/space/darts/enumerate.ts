import { ErrorCode, NashubError } from '../../error/nashub-error';
import type { DartsGenotype } from './genotype';

/** darts has about 10^18 genotypes; always throws NOT_ENUMERABLE. */
export function enumerateDarts(): Iterable<DartsGenotype> {
  throw new NashubError(ErrorCode.NOT_ENUMERABLE, 'space darts (about 10^18 genotypes) is not enumerable', {
    details: { space: 'darts' },
  });
}
