import { ErrorCode, NashubError } from '../../error/nashub-error';
import { EncodingKind, type Encoding, type EncodingKindValue } from '../search-space';
import { dartsAdjacencyEncoding } from './adjacency-encoding';
import type { DartsGenotype } from './genotype';
import { dartsOnehotEncoding } from './onehot-encoding';

/** Encodings the darts space supports; no path encoding (BANANAS truncates it for DARTS cells; not defined here). */
export const DARTS_ENCODINGS: readonly EncodingKindValue[] = [EncodingKind.ONEHOT, EncodingKind.ADJACENCY];

/** Predictor input of a canonical genotype; throws INVALID_ARGUMENT for `path` and any unknown kind. */
export function encodeDarts(genotype: DartsGenotype, kind: EncodingKindValue): Encoding {
  switch (kind) {
    case EncodingKind.ONEHOT:
      return dartsOnehotEncoding(genotype);
    case EncodingKind.ADJACENCY:
      return dartsAdjacencyEncoding(genotype);
    default:
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `encoding "${String(kind)}" is not supported for space darts`, {
        details: { space: 'darts', encoding: kind, known: DARTS_ENCODINGS },
      });
  }
}
