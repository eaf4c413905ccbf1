import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng';
import { NB101_MAX_EDGES, nb101EdgeCount, type Nb101Arch } from './cell';
import { nb101Hash } from './canonical';
import { formatNb101 } from './format';
import { mutateNb101, neighboursNb101 } from './mutate';
import { sampleNb101 } from './sample';
import { validateNb101 } from './validate';

const C3 = 'conv3x3-bn-relu';
const SMALLEST: Nb101Arch = {
  matrix: [
    [0, 1],
    [0, 0],
  ],
  ops: ['input', 'output'],
};

function expectCanonical(arch: Nb101Arch): void {
  expect(validateNb101(JSON.parse(formatNb101(arch)))).toEqual(arch);
  expect(nb101EdgeCount(arch)).toBeLessThanOrEqual(NB101_MAX_EDGES);
}

describe('sampleNb101', () => {
  it('is reproducible from the seed and gives valid, varied cells', () => {
    const a = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampleNb101(rng)
      )(createRng(3)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampleNb101(rng)
      )(createRng(3)),
    );
    expect(a).toEqual(b);
    a.forEach(expectCanonical);
    // NB101's sampler favours small cells (see sampleNb101), so repeats are common.
    expect(new Set(a.map(nb101Hash)).size).toBeGreaterThan(30);
  });
});

describe('mutateNb101', () => {
  it('returns a valid cell with another id, reproducibly', () => {
    const rng = createRng(17);
    const again = createRng(17);
    for (let i = 0; i < 100; i++) {
      const arch = sampleNb101(createRng(i));
      const child = mutateNb101(arch, rng);
      expect(mutateNb101(arch, again)).toEqual(child);
      expectCanonical(child);
      expect(nb101Hash(child)).not.toBe(nb101Hash(arch));
    }
  });

  it('can grow the smallest cell', () => {
    const child = mutateNb101(SMALLEST, createRng(1));
    expect(child.ops).toHaveLength(3);
  });
});

describe('neighboursNb101', () => {
  it('lists valid cells with distinct ids, never the input, in a fixed order', () => {
    for (let seed = 0; seed < 15; seed++) {
      const arch = sampleNb101(createRng(seed));
      const neighbours = neighboursNb101(arch);
      expect(neighboursNb101(arch)).toEqual(neighbours);
      const ids = neighbours.map(nb101Hash);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).not.toContain(nb101Hash(arch));
      neighbours.forEach(expectCanonical);
    }
  });

  it('contains every mutation', () => {
    const arch = sampleNb101(createRng(8));
    const ids = new Set(neighboursNb101(arch).map(nb101Hash));
    const rng = createRng(9);
    for (let i = 0; i < 50; i++) expect(ids.has(nb101Hash(mutateNb101(arch, rng)))).toBe(true);
  });

  it('gives input → output the three one-vertex cells', () => {
    const neighbours = neighboursNb101(SMALLEST);
    expect(neighbours).toHaveLength(3);
    expect(neighbours[0]).toEqual({
      matrix: [
        [0, 1, 1],
        [0, 0, 1],
        [0, 0, 0],
      ],
      ops: ['input', C3, 'output'],
    });
  });
});
