import { describe, expect, it } from 'vitest';
import { createRng } from '../../core';
import { syntheticPopulation } from '../../../test/support/synthetic-curves';
import { principalComponents } from './math/principal-components';
import { synthesizeCurves } from './synthesize-curves';

describe('synthesizeCurves', () => {
  const curves = syntheticPopulation(12, 50, 3).map((c) => c.map((v) => v / 100));
  const draw = (bandwidth: number, seed: number) =>
    synthesizeCurves({ curves, perCurve: 5, components: 4, bandwidth, rng: createRng(seed) });

  it('draws perCurve curves around each parent, as long as the parents, inside (0, 1), reproducibly', () => {
    const synthetic = draw(0.1, 1);
    expect(synthetic).toHaveLength(60);
    expect(synthetic.filter((s) => s.parent === 3)).toHaveLength(5);
    for (const s of synthetic) {
      expect(s.curve).toHaveLength(50);
      expect(s.curve.every((v) => v > 0 && v < 1)).toBe(true);
    }
    expect(draw(0.1, 1)).toEqual(synthetic);
  });

  it('moves further from the parent as the bandwidth grows, and not at all at 0', () => {
    const distance = (bandwidth: number): number =>
      draw(bandwidth, 2).reduce((a, s) => a + Math.abs(s.curve[49]! - curves[s.parent]![49]!), 0) / 60;
    expect(distance(0)).toBeLessThan(1e-3);
    expect(distance(0.5)).toBeGreaterThan(2 * distance(0.1));
  });
});

describe('principalComponents', () => {
  it('finds the direction the rows vary along, with its spread', () => {
    const rng = createRng(4);
    const direction = [0.6, 0.8, 0];
    const rows = Array.from({ length: 200 }, () => {
      const t = 2 * (rng.next() - 0.5);
      return direction.map((d, j) => 5 + t * d * 3 + (j === 2 ? 0.01 * (rng.next() - 0.5) : 0));
    });
    const pca = principalComponents({ rows, count: 1 });
    const c = pca.components[0]!;
    expect(Math.abs(c[0]! * 0.6 + c[1]! * 0.8)).toBeCloseTo(1, 4);
    expect(pca.spreads[0]).toBeCloseTo(Math.sqrt(3), 0);
    expect(pca.mean[0]).toBeCloseTo(5, 0);
  });
});
