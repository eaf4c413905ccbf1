import { DARTS_CONCAT, type DartsGenotype, type DartsPair } from './genotype';

function formatCell(pairs: readonly DartsPair[]): string {
  return `[${pairs.map((pair) => `('${pair.op}', ${pair.input})`).join(', ')}]`;
}

/**
 * The Python text of a genotype, as DARTS prints its `genotypes.py` entries (the form the ecosystem exchanges):
 * `Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])`.
 * Pairs are written in the genotype's order, so the text of a canonical genotype is canonical.
 */
export function formatDarts(genotype: DartsGenotype): string {
  const concat = `[${DARTS_CONCAT.join(', ')}]`;
  return `Genotype(normal=${formatCell(genotype.normal)}, normal_concat=${concat}, reduce=${formatCell(genotype.reduce)}, reduce_concat=${concat})`;
}
