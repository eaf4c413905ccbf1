import { ErrorCode, NashubError } from '../../error/nashub-error';
import { EncodingKind, type Encoding, type EncodingKindValue } from '../search-space';
import { nb101AdjacencyEncoding } from './adjacency-encoding';
import type { Nb101Arch } from './cell';
import { nb101OnehotEncoding } from './onehot-encoding';
import { nb101PathEncoding } from './path-encoding';

/** Encodings the nb101 space supports. */
export const NB101_ENCODINGS: readonly EncodingKindValue[] = [
  EncodingKind.ONEHOT,
  EncodingKind.ADJACENCY,
  EncodingKind.PATH,
];

/** Predictor input of a canonical cell; throws INVALID_ARGUMENT for an unknown kind. */
export function encodeNb101(arch: Nb101Arch, kind: EncodingKindValue): Encoding {
  switch (kind) {
    case EncodingKind.ONEHOT:
      return nb101OnehotEncoding(arch);
    case EncodingKind.ADJACENCY:
      return nb101AdjacencyEncoding(arch);
    case EncodingKind.PATH:
      return nb101PathEncoding(arch);
    default:
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `unknown encoding "${String(kind)}" for space nb101`, {
        details: { space: 'nb101', encoding: kind, known: NB101_ENCODINGS },
      });
  }
}
