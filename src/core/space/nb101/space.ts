import type { SearchSpace } from '../search-space';
import type { Nb101Arch } from './cell';
import { nb101Hash } from './canonical';
import { nb101Cost } from './cost';
import { encodeNb101, NB101_ENCODINGS } from './encode';
import { enumerateNb101 } from './enumerate';
import { formatNb101 } from './format';
import { NB101_DEFAULT_MACRO, type Nb101Macro } from './macro';
import { mutateNb101, neighboursNb101 } from './mutate';
import { parseNb101 } from './parse';
import { sampleNb101 } from './sample';
import { validateNb101 } from './validate';

/**
 * NAS-Bench-101 space. An architecture is a pruned cell; its id is NAS-Bench-101's module hash, which every vertex
 * order of the cell shares, so isoClass is the id too. `format` keeps the cell's own vertex order (not canonical
 * under isomorphism); compare cells by id. `size` is null: the 423,624 cells are not enumerated here.
 */
export const nb101Space: SearchSpace<Nb101Arch, Nb101Macro> = Object.freeze({
  name: 'nb101',
  title: 'NAS-Bench-101',
  encodings: NB101_ENCODINGS,
  size: null,
  defaultMacro: NB101_DEFAULT_MACRO,
  parse: parseNb101,
  format: formatNb101,
  validate: (value: unknown): Nb101Arch => (typeof value === 'string' ? parseNb101(value) : validateNb101(value)),
  id: nb101Hash,
  isoClass: nb101Hash,
  sample: sampleNb101,
  mutate: mutateNb101,
  neighbours: neighboursNb101,
  encode: encodeNb101,
  enumerate: enumerateNb101,
  cost: nb101Cost,
});
