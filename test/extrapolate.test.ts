import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from './support/graphql-request';
import { startTestServer, type TestServer } from './support/start-test-server';
import { syntheticCurve } from './support/synthetic-curves';
import { onPostgres } from './support/test-database';

const QUERY = `query($curve: [Float!]!, $targetEpoch: Int!, $scale: CurveScale) {
  extrapolate(curve: $curve, targetEpoch: $targetEpoch, scale: $scale) { mean q05 q50 q95 method }
}`;

interface Forecast {
  mean: number;
  q05: number;
  q50: number;
  q95: number;
  method: string;
}

describe(`extrapolate over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  const extrapolate = (variables: Record<string, unknown>) =>
    graphqlRequest<{ extrapolate: Forecast }>(t.url, QUERY, variables);
  /** 0.9 − 0.6·x^−0.5 in percent, 40 noisy epochs: the true value at epoch 200 is 85.76. */
  const curve = syntheticCurve({ shape: (x) => 0.9 - 0.6 * Math.pow(x, -0.5), epochs: 40, noise: 0.004, seed: 9 }).map(
    (v) => v * 100,
  );

  it('forecasts a saturating curve with ordered quantiles around the true value', async () => {
    const res = await extrapolate({ curve, targetEpoch: 200 });
    expect(res.errors).toBeUndefined();
    const f = res.data!.extrapolate;
    expect(f.method).toBe('PARAMETRIC_ENSEMBLE');
    expect(f.q05).toBeLessThanOrEqual(f.q50);
    expect(f.q50).toBeLessThanOrEqual(f.q95);
    expect(f.q05).toBeLessThanOrEqual(85.76);
    expect(f.q95).toBeGreaterThanOrEqual(85.76);
  });

  it('takes fractions and answers in fractions', async () => {
    const res = await extrapolate({ curve: curve.map((v) => v / 100), targetEpoch: 200, scale: 'FRACTION' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.extrapolate.q50).toBeLessThanOrEqual(1);
  });

  it('gives a wide interval for a one-point curve', async () => {
    const res = await extrapolate({ curve: [30], targetEpoch: 200 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.extrapolate.q95 - res.data!.extrapolate.q05).toBeGreaterThan(50);
  });

  it.each([
    ['an empty curve', { curve: [], targetEpoch: 200 }, 'empty'],
    ['a target inside the curve', { curve: [10, 20, 30], targetEpoch: 3 }, 'target-not-after-curve'],
    ['a percent above 100', { curve: [10, 120], targetEpoch: 200 }, 'out-of-scale'],
    ['a fraction above 1', { curve: [0.1, 45], targetEpoch: 200, scale: 'FRACTION' }, 'out-of-scale'],
  ])('refuses %s with INVALID_CURVE', async (_name, variables, reason) => {
    const res = await extrapolate(variables);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'INVALID_CURVE', reason });
  });

  it('refuses a curve over 100,000 points with LIMIT_EXCEEDED', async () => {
    const res = await extrapolate({ curve: new Array<number>(100_001).fill(50), targetEpoch: 200_000 });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxCurveLength' });
  });
});
