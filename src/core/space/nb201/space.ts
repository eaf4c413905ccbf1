import type { SearchSpace } from '../search-space';
import { nb201IsoClass } from './canonical';
import type { Nb201Arch } from './cell';
import { nb201Cost } from './cost';
import { encodeNb201, NB201_ENCODINGS } from './encode';
import { enumerateNb201, NB201_SIZE } from './enumerate';
import { formatNb201 } from './format';
import { NB201_DEFAULT_MACRO, type Nb201Macro } from './macro';
import { mutateNb201, neighboursNb201 } from './mutate';
import { natsUniqueStr } from './nats-unique-str';
import { parseNb201 } from './parse';
import { sampleNb201 } from './sample';
import { validateNb201 } from './validate';

/** The nb201 space, with NATS-Bench's unique string on top of the common interface. */
export interface Nb201Space extends SearchSpace<Nb201Arch, Nb201Macro> {
  /** NATS-Bench `to_unique_str(consider_zero=True)` of a cell (6,466 classes). */
  natsUniqueStr(arch: Nb201Arch): string;
}

/** NAS-Bench-201 / NATS-Bench topology space; an architecture's id is its canonical arch string. */
export const nb201Space: Nb201Space = Object.freeze({
  name: 'nb201',
  title: 'NAS-Bench-201',
  encodings: NB201_ENCODINGS,
  size: NB201_SIZE,
  defaultMacro: NB201_DEFAULT_MACRO,
  parse: parseNb201,
  format: formatNb201,
  validate: validateNb201,
  // Every cell is its own architecture in NB201 (the table has all 15,625), so the id is the canonical string and
  // isomorphism is a separate, coarser key.
  id: formatNb201,
  isoClass: nb201IsoClass,
  natsUniqueStr,
  sample: sampleNb201,
  mutate: mutateNb201,
  neighbours: neighboursNb201,
  encode: encodeNb201,
  enumerate: enumerateNb201,
  cost: nb201Cost,
});
