import { ErrorCode, NashubError } from '../../error/nashub-error';
import { EncodingKind, type Encoding, type EncodingKindValue } from '../search-space';
import { nb201AdjacencyEncoding } from './adjacency-encoding';
import type { Nb201Arch } from './cell';
import { nb201OnehotEncoding } from './onehot-encoding';
import { nb201PathEncoding } from './path-encoding';

/** Encodings the nb201 space supports. */
export const NB201_ENCODINGS: readonly EncodingKindValue[] = [
  EncodingKind.ONEHOT,
  EncodingKind.ADJACENCY,
  EncodingKind.PATH,
];

/** Predictor input of a cell; throws INVALID_ARGUMENT for an unknown kind. */
export function encodeNb201(arch: Nb201Arch, kind: EncodingKindValue): Encoding {
  switch (kind) {
    case EncodingKind.ONEHOT:
      return nb201OnehotEncoding(arch);
    case EncodingKind.ADJACENCY:
      return nb201AdjacencyEncoding(arch);
    case EncodingKind.PATH:
      return nb201PathEncoding(arch);
    default:
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `unknown encoding "${String(kind)}" for space nb201`, {
        details: { space: 'nb201', encoding: kind, known: NB201_ENCODINGS },
      });
  }
}
