import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { CurveExtrapolator } from './curve-extrapolator';
import { CurveScale } from './curve-scale';
import { fitCurveExtrapolator } from './fit-curve-extrapolator';
import { trainLearnedExtrapolator } from './learned-extrapolator';
import { errorCodeOf } from '../../../test/support/error-code-of';

/** Validation curves alike for 20 epochs that end at 80 or 90; the training curve of the 90s still underfits early. */
const runs = Array.from({ length: 40 }, (_, i) => {
  const high = i % 2 === 1;
  const plateau = high ? 90 : 80;
  const values = Array.from(
    { length: 100 },
    (_, x) => (x < 20 ? 40 + x : plateau - (plateau - 60) * Math.exp(-(x - 20) / 10)) + Math.sin(i * 7 + x) * 0.3,
  );
  const trainValues = values.map((v, x) => Math.min(100, v + (high ? 2 : 12) + Math.cos(i + x) * 0.3));
  return { values, trainValues };
});
const options = { targetEpoch: 100, scale: CurveScale.PERCENT };

describe('the training-accuracy curve as a second channel', () => {
  it('tells apart runs whose validation curves look alike', () => {
    const model = trainLearnedExtrapolator({
      curves: runs.map((r) => r.values),
      trainCurves: runs.map((r) => r.trainValues),
      scale: CurveScale.PERCENT,
      fractions: [0.2],
      seed: 1,
    });
    const partial = runs[0]!.values.slice(0, 20);
    const low = model.forecast(partial, { ...options, trainCurve: runs[0]!.trainValues });
    const high = model.forecast(partial, { ...options, trainCurve: runs[1]!.trainValues });
    expect(high.q50 - low.q50).toBeGreaterThan(5);
    expect(model.toJSON().usesTrainCurve).toBe(true);
    expect(errorCodeOf(() => model.forecast(partial, options))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(
      errorCodeOf(() => model.forecast(partial, { ...options, trainCurve: runs[0]!.trainValues.slice(0, 10) })),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(
      errorCodeOf(() =>
        model.forecast(partial, { ...options, trainCurve: [...runs[0]!.trainValues.slice(0, 19), 150] }),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('is stored by CurveExtrapolator with identical forecasts after save/load', () => {
    const model = fitCurveExtrapolator(runs, { fractions: [0.2, 0.4], useTrainCurve: true, seed: 2 });
    expect(model.usesTrainCurve).toBe(true);
    const loaded = CurveExtrapolator.load(model.save());
    for (const n of [1, 15, 20, 35]) {
      const forecast = model.forecast(runs[3]!.values.slice(0, n), 100, {
        trainCurve: runs[3]!.trainValues.slice(0, n),
      });
      expect(
        loaded.forecast(runs[3]!.values.slice(0, n), 100, { trainCurve: runs[3]!.trainValues.slice(0, n) }),
      ).toEqual(forecast);
    }
    expect(
      errorCodeOf(() =>
        fitCurveExtrapolator(
          runs.map(({ values }) => ({ values })),
          { useTrainCurve: true },
        ),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});
