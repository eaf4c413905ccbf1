import { describe, expect, it } from 'vitest';
import { createRng } from '../../core';
import { fitRidgeModel } from './ridge-model';

describe('fitRidgeModel', () => {
  const rng = createRng(5);
  const rows = Array.from({ length: 60 }, () => Float64Array.from([rng.next() * 4 - 2, rng.next() * 4 - 2]));

  it('recovers a linear relation with a small penalty', () => {
    const targets = rows.map((r) => 3 + 2 * r[0]! - r[1]!);
    const model = fitRidgeModel({ rows, linearColumns: 2, targets, penalty: 1e-6, kernel: null });
    expect(model.predict(Float64Array.from([1, 1]))).toBeCloseTo(4, 4);
  });

  it('fits a nonlinear relation better with the kernel correction', () => {
    const f = (r: Float64Array): number => Math.sin(2 * r[0]!) + r[1]!;
    const targets = rows.map(f);
    const probe = Array.from({ length: 20 }, () => Float64Array.from([rng.next() * 3 - 1.5, rng.next() * 3 - 1.5]));
    const error = (model: { predict(r: Float64Array): number }): number =>
      probe.reduce((a, r) => a + Math.abs(model.predict(r) - f(r)), 0) / probe.length;
    const linear = fitRidgeModel({ rows, linearColumns: 2, targets, penalty: 0.1, kernel: null });
    const kernel = fitRidgeModel({
      rows,
      linearColumns: 2,
      targets,
      penalty: 0.1,
      kernel: { width: 1, penalty: 0.01, extraWeight: 0 },
    });
    expect(error(kernel)).toBeLessThan(error(linear) / 3);
  });
});
