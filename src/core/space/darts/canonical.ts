import { createHash } from 'node:crypto';
import { DARTS_PAIR_COUNT, type DartsGenotype, type DartsPair } from './genotype';
import { dartsOpIndex } from './op';
import { formatDarts } from './format';

/** Pairs of a cell with each node's two pairs ordered by input (then op, for non-canonical equal inputs). */
export function canonicalDartsCell(pairs: readonly DartsPair[]): DartsPair[] {
  const sorted: DartsPair[] = [];
  for (let slot = 0; slot < DARTS_PAIR_COUNT; slot += 2) {
    const [a, b] = [pairs[slot], pairs[slot + 1]];
    const swap = a.input > b.input || (a.input === b.input && dartsOpIndex(a.op) > dartsOpIndex(b.op));
    sorted.push(...(swap ? [{ ...b }, { ...a }] : [{ ...a }, { ...b }]));
  }
  return sorted;
}

/** The canonical genotype: the two pairs of every node sorted by input, since a node sums them in any order. */
export function canonicalDarts(genotype: DartsGenotype): DartsGenotype {
  return { normal: canonicalDartsCell(genotype.normal), reduce: canonicalDartsCell(genotype.reduce) };
}

/**
 * The id of a genotype: the first 32 hex digits (128 bits) of the SHA-256 of its canonical Python text
 * (`formatDarts`), so `printf %s "$(nashub format ...)" | sha256sum | cut -c1-32` reproduces it. 32 digits match
 * the length of NB101's MD5 ids.
 */
export function dartsId(genotype: DartsGenotype): string {
  return createHash('sha256')
    .update(formatDarts(canonicalDarts(genotype)), 'utf8')
    .digest('hex')
    .slice(0, 32);
}
