import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng';
import { dartsId } from './canonical';
import { formatDarts } from './format';
import type { DartsGenotype } from './genotype';
import { mutateDarts, neighboursDarts } from './mutate';
import { parseDarts } from './parse';
import { sampleDarts } from './sample';

/** Number of pair slots whose (op, input) differ, comparing node by node as sets. */
function pairDistance(a: DartsGenotype, b: DartsGenotype): number {
  let distance = 0;
  for (const cell of ['normal', 'reduce'] as const) {
    for (let slot = 0; slot < 8; slot += 2) {
      const left = a[cell].slice(slot, slot + 2).map((pair) => `${pair.op}~${pair.input}`);
      const right = new Set(b[cell].slice(slot, slot + 2).map((pair) => `${pair.op}~${pair.input}`));
      distance += left.filter((pair) => !right.has(pair)).length;
    }
  }
  return distance;
}

describe('sampleDarts', () => {
  it('is reproducible, canonical and varied', () => {
    const a = Array.from(
      { length: 100 },
      (
        (rng) => () =>
          sampleDarts(rng)
      )(createRng(1)),
    );
    const b = Array.from(
      { length: 100 },
      (
        (rng) => () =>
          sampleDarts(rng)
      )(createRng(1)),
    );
    expect(a).toEqual(b);
    for (const genotype of a) expect(parseDarts(formatDarts(genotype))).toEqual(genotype);
    expect(new Set(a.map(dartsId)).size).toBe(100);
  });

  it('draws every input a node may read', () => {
    const rng = createRng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) for (const pair of sampleDarts(rng).reduce.slice(6)) seen.add(pair.input);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('mutateDarts and neighboursDarts', () => {
  it('changes exactly one pair, reproducibly', () => {
    const rng = createRng(3);
    const again = createRng(3);
    for (let i = 0; i < 200; i++) {
      const genotype = sampleDarts(createRng(100 + i));
      const child = mutateDarts(genotype, rng);
      expect(mutateDarts(genotype, again)).toEqual(child);
      expect(pairDistance(genotype, child)).toBe(1);
      expect(parseDarts(formatDarts(child))).toEqual(child);
    }
  });

  it('lists 120 distinct one-edit neighbours in a fixed order, each a possible mutation', () => {
    for (let seed = 0; seed < 20; seed++) {
      const genotype = sampleDarts(createRng(seed));
      const neighbours = neighboursDarts(genotype);
      expect(neighbours).toHaveLength(120);
      expect(neighboursDarts(genotype)).toEqual(neighbours);
      const ids = new Set(neighbours.map(dartsId));
      expect(ids.size).toBe(120);
      expect(ids.has(dartsId(genotype))).toBe(false);
      const rng = createRng(seed);
      for (let k = 0; k < 20; k++) expect(ids.has(dartsId(mutateDarts(genotype, rng)))).toBe(true);
    }
  });
});
