import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticCurve } from '../../../test/support/synthetic-curves';
import { createBestSoFarExtrapolator } from './best-so-far-extrapolator';
import { CurveScale } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import { createLastValueExtrapolator } from './last-value-extrapolator';
import { probabilityAbove } from './probability-above';
import { shouldStop } from './should-stop';

const options = { targetEpoch: 200, scale: CurveScale.PERCENT };
/** A run that has plateaued at about 50%. */
const hopeless = syntheticCurve({
  shape: (x) => 0.5 - 0.3 * Math.exp(-0.2 * x),
  epochs: 40,
  noise: 0.003,
  seed: 1,
}).map((v) => v * 100);
/** A run still rising towards about 90%. */
const promising = syntheticCurve({
  shape: (x) => 0.9 - 0.7 * Math.pow(x, -0.5),
  epochs: 40,
  noise: 0.003,
  seed: 2,
}).map((v) => v * 100);

describe('shouldStop', () => {
  it('stops a plateaued run far below the best', () => {
    const decision = shouldStop(hopeless, 90, 0.05, options);
    expect(decision.stop).toBe(true);
    expect(decision.probabilityOfImprovement).toBeLessThan(0.05);
    expect(decision.forecast.method).toBe(ExtrapolationMethod.PARAMETRIC_ENSEMBLE);
  });

  it('keeps a rising run that is likely to beat the best', () => {
    const decision = shouldStop(promising, 60, 0.05, options);
    expect(decision.stop).toBe(false);
    expect(decision.probabilityOfImprovement).toBeGreaterThan(0.5);
  });

  it('never stops before any run has finished, and is pure', () => {
    expect(shouldStop(hopeless, null, 0.5, options)).toMatchObject({ stop: false, probabilityOfImprovement: 1 });
    expect(shouldStop(promising, 85, 0.1, options)).toEqual(shouldStop(promising, 85, 0.1, options));
  });

  it('uses the given extrapolator', () => {
    const decision = shouldStop([10, 40, 30], 35, 0.5, { ...options, extrapolator: createLastValueExtrapolator() });
    expect(decision).toMatchObject({ stop: true, probabilityOfImprovement: 0 });
    expect(shouldStop([10, 40, 30], 35, 0.5, { ...options, extrapolator: createBestSoFarExtrapolator() }).stop).toBe(
      false,
    );
  });

  it('rejects a bad threshold or best with INVALID_ARGUMENT and a bad curve with INVALID_CURVE', () => {
    expect(() => shouldStop(promising, 60, 1.5, options)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => shouldStop(promising, Number.NaN, 0.05, options)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => shouldStop([], 60, 0.05, options)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURVE }));
  });
});

describe('probabilityAbove', () => {
  const forecast = { mean: 80, q05: 70, q50: 80, q95: 85, method: ExtrapolationMethod.PARAMETRIC_ENSEMBLE };

  it('matches the quantiles it is built from and decreases with the value', () => {
    expect(probabilityAbove(forecast, 70)).toBeCloseTo(0.95, 6);
    expect(probabilityAbove(forecast, 80)).toBeCloseTo(0.5, 6);
    expect(probabilityAbove(forecast, 85)).toBeCloseTo(0.05, 6);
    expect(probabilityAbove(forecast, 90)).toBeLessThan(probabilityAbove(forecast, 86));
  });

  it('is 1 or 0 for a point forecast', () => {
    const point = { mean: 50, q05: 50, q50: 50, q95: 50, method: ExtrapolationMethod.LAST_VALUE };
    expect(probabilityAbove(point, 49)).toBe(1);
    expect(probabilityAbove(point, 50)).toBe(0);
  });
});
