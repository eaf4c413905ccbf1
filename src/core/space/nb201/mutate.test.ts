import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng';
import type { Nb201Arch } from './cell';
import { formatNb201 } from './format';
import { mutateNb201, neighboursNb201 } from './mutate';
import { sampleNb201 } from './sample';

const differingEdges = (a: Nb201Arch, b: Nb201Arch): number => a.filter((op, edge) => op !== b[edge]).length;

describe('sampleNb201 / mutateNb201 / neighboursNb201', () => {
  it('samples reproducibly for a seed', () => {
    const draw = (seed: number): string[] => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => formatNb201(sampleNb201(rng)));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('samples every op on every edge roughly uniformly', () => {
    const rng = createRng(1);
    const counts = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      sampleNb201(rng).forEach((op, edge) => counts.set(`${edge}:${op}`, (counts.get(`${edge}:${op}`) ?? 0) + 1));
    }
    expect(counts.size).toBe(30);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it('mutates exactly one edge, reproducibly', () => {
    const rng = createRng(3);
    const again = createRng(3);
    for (let i = 0; i < 500; i++) {
      const arch = sampleNb201(rng);
      sampleNb201(again);
      const child = mutateNb201(arch, rng);
      expect(differingEdges(arch, child)).toBe(1);
      expect(mutateNb201(arch, again)).toEqual(child);
    }
  });

  it('lists 24 distinct one-edit neighbours in a fixed order', () => {
    const arch = sampleNb201(createRng(5));
    const neighbours = neighboursNb201(arch);
    expect(neighbours).toHaveLength(24);
    expect(new Set(neighbours.map(formatNb201)).size).toBe(24);
    for (const neighbour of neighbours) expect(differingEdges(arch, neighbour)).toBe(1);
    expect(neighboursNb201(arch)).toEqual(neighbours);
  });
});
