import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticPopulation } from '../../../test/support/synthetic-curves';
import { CurveExtrapolator } from './curve-extrapolator';
import { CurveScale } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import { fitCurveExtrapolator } from './fit-curve-extrapolator';
import { shouldStop } from './should-stop';
import { errorCodeOf } from '../../../test/support/error-code-of';

const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'];
/** An NB201 architecture string whose six edges cycle through the ops from `k`. */
const archOf = (k: number): string => {
  const op = (e: number): string => OPS[(k + e) % OPS.length]!;
  return `|${op(0)}~0|+|${op(1)}~0|${op(2)}~1|+|${op(3)}~0|${op(4)}~1|${op(5)}~2|`;
};
const population = syntheticPopulation(36, 60, 5);
const training = population.slice(0, 30).map((values, i) => ({ arch: archOf(i), values }));
const held = population.slice(30);
const fit = fitCurveExtrapolator(training, { fractions: [0.2, 0.4], seed: 3 });

describe('fitCurveExtrapolator and CurveExtrapolator', () => {
  it('forecasts { mean, q05, q50, q95, method } with and without an architecture', () => {
    expect(fit.usesArchitecture).toBe(true);
    expect(fit.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_ARCH);
    let absError = 0;
    held.forEach((curve, j) => {
      const withArch = fit.forecast(curve.slice(0, 18), 60, { arch: archOf(30 + j) });
      const without = fit.forecast(curve.slice(0, 18), 60);
      expect(withArch.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_ARCH);
      expect(without.method).toBe(ExtrapolationMethod.KERNEL_RIDGE);
      for (const f of [withArch, without]) {
        expect(Object.keys(f).sort()).toEqual(['mean', 'method', 'q05', 'q50', 'q95']);
        expect(f.q05).toBeLessThanOrEqual(f.q50);
        expect(f.q50).toBeLessThanOrEqual(f.q95);
        absError += Math.abs(f.q50 - curve[curve.length - 1]!) / (2 * held.length);
      }
    });
    expect(absError).toBeLessThan(5);
    // Fractions in, fractions out.
    const fraction = fit.forecast(
      held[0]!.slice(0, 18).map((v) => v / 100),
      60,
      { scale: CurveScale.FRACTION },
    );
    expect(fraction.q50).toBeCloseTo(fit.forecast(held[0]!.slice(0, 18), 60).q50 / 100, 10);
  });

  it('gives identical forecasts after save/load and after a JSON round trip', () => {
    const loaded = CurveExtrapolator.load(fit.save());
    const parsed = CurveExtrapolator.fromJSON(JSON.parse(JSON.stringify(fit)));
    for (const curve of held) {
      for (const [n, arch] of [
        [12, undefined],
        [18, archOf(2)],
        [30, archOf(4)],
        [1, archOf(0)],
      ] as const) {
        const expected = fit.forecast(curve.slice(0, n), 60, { arch });
        expect(loaded.forecast(curve.slice(0, n), 60, { arch })).toEqual(expected);
        expect(parsed.forecast(curve.slice(0, n), 60, { arch })).toEqual(expected);
      }
    }
    expect(loaded.toJSON()).toEqual(fit.toJSON());
  });

  it('serves a protocol with only 10 stored curves, with or without the synthetic prior', () => {
    const few = training.slice(0, 10);
    for (const prior of [false, { perCurve: 4 }] as const) {
      const model = fitCurveExtrapolator(few, { fractions: [0.2], prior, useArchitecture: false });
      expect(model.usesArchitecture).toBe(false);
      const f = model.forecast(held[0]!.slice(0, 12), 60, { arch: archOf(0) });
      expect(f.method).toBe(ExtrapolationMethod.KERNEL_RIDGE);
      expect(f.q05).toBeLessThan(f.q95);
      expect(CurveExtrapolator.load(model.save()).forecast(held[0]!.slice(0, 12), 60)).toEqual(
        model.forecast(held[0]!.slice(0, 12), 60),
      );
    }
  });

  it('with priors, answers from curve + surrogate and round-trips exactly through save/load', () => {
    const priced = training.map((c, i) => ({
      ...c,
      prior: { mean: c.values[c.values.length - 1]! + Math.sin(i) * 2, std: 2 },
    }));
    const model = fitCurveExtrapolator(priced, { fractions: [0.2, 0.4], seed: 3 });
    expect(model.usesSurrogatePrior).toBe(true);
    const loaded = CurveExtrapolator.load(model.save());
    expect(loaded.toJSON()).toEqual(model.toJSON());
    held.forEach((curve, j) => {
      const prior = { mean: curve[curve.length - 1]!, std: 2 };
      for (const arch of [undefined, archOf(30 + j)]) {
        const f = model.forecast(curve.slice(0, 18), 60, { arch, prior });
        expect(f.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_SURROGATE);
        expect(loaded.forecast(curve.slice(0, 18), 60, { arch, prior })).toEqual(f);
      }
      // Without a prior the architecture model answers, as before.
      expect(model.forecast(curve.slice(0, 18), 60, { arch: archOf(30 + j) }).method).toBe(
        ExtrapolationMethod.KERNEL_RIDGE_ARCH,
      );
    });
    const stop = shouldStop(held[0]!.slice(0, 12), 99, 0.05, {
      targetEpoch: 60,
      scale: CurveScale.PERCENT,
      extrapolator: model.extrapolatorFor(undefined, { mean: 70, std: 1 }),
    });
    expect(stop.forecast.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_SURROGATE);
    // A state stored before surrogate models existed has no withSurrogate and still loads.
    const { withSurrogate: _dropped, ...older } = JSON.parse(JSON.stringify(fit)) as Record<string, unknown>;
    expect(
      CurveExtrapolator.fromJSON(older).forecast(held[0]!.slice(0, 18), 60, { prior: { mean: 80, std: 1 } }),
    ).toEqual(fit.forecast(held[0]!.slice(0, 18), 60));
    expect(() => fitCurveExtrapolator(training, { useSurrogatePrior: true })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('plugs into shouldStop for one architecture', () => {
    const decision = shouldStop(held[0]!.slice(0, 12), 99, 0.05, {
      targetEpoch: 60,
      scale: CurveScale.PERCENT,
      extrapolator: fit.extrapolatorFor(archOf(3)),
    });
    expect(decision.forecast.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_ARCH);
    expect(decision.stop).toBe(true);
  });

  it('rejects bad input with typed errors', () => {
    expect(errorCodeOf(() => fit.forecast(held[0]!.slice(0, 12), 60, { arch: '|conv~0|' }))).toBe(
      ErrorCode.INVALID_ARCHITECTURE,
    );
    expect(errorCodeOf(() => fit.forecast([], 60))).toBe(ErrorCode.INVALID_CURVE);
    expect(errorCodeOf(() => fitCurveExtrapolator(training.slice(0, 5)))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(
      errorCodeOf(() =>
        fitCurveExtrapolator(
          training.map(({ values }) => ({ values })),
          { useArchitecture: true },
        ),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(errorCodeOf(() => CurveExtrapolator.load(new TextEncoder().encode('{"format":"other"}')))).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
    expect(errorCodeOf(() => CurveExtrapolator.load(Uint8Array.from([0xff, 0xfe])))).toBe(ErrorCode.INVALID_ARGUMENT);
    const broken = JSON.parse(JSON.stringify(fit)) as { curveOnly: { fractions: { residuals: unknown }[] } };
    broken.curveOnly.fractions[0]!.residuals = ['x'];
    expect(errorCodeOf(() => CurveExtrapolator.fromJSON(broken))).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});
