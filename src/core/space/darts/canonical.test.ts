import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createRng } from '../../random/rng';
import { canonicalDarts, dartsId } from './canonical';
import { formatDarts } from './format';
import type { DartsGenotype, DartsPair } from './genotype';
import { dartsIsoClass } from './iso-class';
import { parseDarts } from './parse';
import { sampleDarts } from './sample';

const DARTS_V2 = parseDarts(
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])",
);

/** The genotype with the normal cell's nodes renumbered: node k becomes node order[k] (order must stay feed-forward). */
function renumberNormal(genotype: DartsGenotype, order: number[]): DartsGenotype {
  const normal = new Array<DartsPair>(8);
  genotype.normal.forEach((pair, slot) => {
    const node = slot >> 1;
    const input = pair.input < 2 ? pair.input : order[pair.input - 2] + 2;
    normal[2 * order[node] + (slot & 1)] = { op: pair.op, input };
  });
  return canonicalDarts({ ...genotype, normal });
}

describe('dartsId', () => {
  it('is the first 32 hex digits of the SHA-256 of the canonical text', () => {
    const expected = createHash('sha256').update(formatDarts(DARTS_V2)).digest('hex').slice(0, 32);
    expect(dartsId(DARTS_V2)).toBe(expected);
    expect(dartsId(DARTS_V2)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('ignores the order of the two pairs of a node', () => {
    const swapped = { ...DARTS_V2, reduce: DARTS_V2.reduce.map((_, i) => DARTS_V2.reduce[i ^ 1]) };
    expect(formatDarts(canonicalDarts(swapped))).toBe(formatDarts(DARTS_V2));
    expect(dartsId(swapped)).toBe(dartsId(DARTS_V2));
  });

  it('separates genotypes that differ in one pair', () => {
    const changed = {
      ...DARTS_V2,
      normal: DARTS_V2.normal.map((pair, i) => (i === 7 ? { ...pair, op: 'dil_conv_5x5' as const } : pair)),
    };
    expect(dartsId(changed)).not.toBe(dartsId(DARTS_V2));
  });
});

describe('dartsIsoClass', () => {
  it('is shared by every renumbering of intermediate nodes that keeps the cell feed-forward', () => {
    const rng = createRng(21);
    const orders = [
      [0, 1, 2, 3],
      [0, 1, 3, 2],
      [0, 2, 1, 3],
      [1, 0, 2, 3],
      [3, 2, 1, 0],
      [1, 2, 3, 0],
      [2, 0, 3, 1],
    ];
    let checked = 0;
    for (let i = 0; i < 100; i++) {
      const genotype = sampleDarts(rng);
      for (const order of orders) {
        const renumbered = renumberNormal(genotype, order);
        // Skip orders where a node would read a node numbered after it.
        if (renumbered.normal.some((pair, slot) => pair.input >= (slot >> 1) + 2)) continue;
        expect(dartsIsoClass(renumbered)).toBe(dartsIsoClass(genotype));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('equals the id for a genotype already in its smallest numbering, and differs across classes', () => {
    const rng = createRng(22);
    const classes = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const genotype = sampleDarts(rng);
      const iso = dartsIsoClass(genotype);
      expect(iso).toMatch(/^[0-9a-f]{32}$/);
      classes.add(iso);
    }
    expect(classes.size).toBe(100);
  });
});
