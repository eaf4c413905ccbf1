import type { SearchSpace } from '../search-space';
import { dartsId } from './canonical';
import { dartsCost } from './cost';
import { DARTS_ENCODINGS, encodeDarts } from './encode';
import { enumerateDarts } from './enumerate';
import { formatDarts } from './format';
import type { DartsGenotype } from './genotype';
import { dartsIsoClass } from './iso-class';
import { DARTS_DEFAULT_MACRO, type DartsMacro } from './macro';
import { mutateDarts, neighboursDarts } from './mutate';
import { parseDarts } from './parse';
import { sampleDarts } from './sample';
import { validateDarts } from './validate';

/**
 * DARTS / NAS-Bench-301 space. An architecture is a canonical genotype (each node's pairs sorted by input); it is
 * exchanged as its Python `Genotype(...)` text; its id is the SHA-256 (first 32 hex digits) of that text, and its
 * isoClass also folds renumberings of intermediate nodes. `size` is null (about 10^18 genotypes).
 */
export const dartsSpace: SearchSpace<DartsGenotype, DartsMacro> = Object.freeze({
  name: 'darts',
  title: 'DARTS / NAS-Bench-301',
  encodings: DARTS_ENCODINGS,
  size: null,
  defaultMacro: DARTS_DEFAULT_MACRO,
  parse: parseDarts,
  format: formatDarts,
  validate: (value: unknown): DartsGenotype => (typeof value === 'string' ? parseDarts(value) : validateDarts(value)),
  id: dartsId,
  isoClass: dartsIsoClass,
  sample: sampleDarts,
  mutate: mutateDarts,
  neighbours: neighboursDarts,
  encode: encodeDarts,
  enumerate: enumerateDarts,
  cost: dartsCost,
});
