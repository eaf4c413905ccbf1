import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { decideEarlyStop } from './early-stop';
import { ErrorCode, NashubError } from '../core';
import type { Extrapolator } from '../predictor/lce';

const logger = pino({ level: 'silent' });
const rule = { threshold: 0.05, minEpochFraction: 0.2 };
/** A rising curve that flattens near `plateau` percent. */
const curve = (plateau: number, epochs: number) =>
  Array.from({ length: epochs }, (_, i) => plateau - (plateau - 10) * Math.exp(-0.3 * (i + 1)));

describe("decideEarlyStop (the trainer's use of shouldStop)", () => {
  it('stops a run whose forecast cannot reach the best final so far, and keeps one that can', () => {
    const hopeless = decideEarlyStop({ rule, validAcc: curve(40, 12), totalEpochs: 50, bestFinalSoFar: 90, logger });
    expect(hopeless.stop).toBe(true);
    expect(hopeless.probabilityOfImprovement).toBeLessThan(0.05);
    const promising = decideEarlyStop({ rule, validAcc: curve(92, 12), totalEpochs: 50, bestFinalSoFar: 80, logger });
    expect(promising.stop).toBe(false);
  });

  it('never stops before minEpochFraction, at the last epoch, or without a best run', () => {
    expect(decideEarlyStop({ rule, validAcc: curve(40, 9), totalEpochs: 50, bestFinalSoFar: 90, logger })).toEqual({
      stop: false,
      probabilityOfImprovement: null,
    });
    expect(decideEarlyStop({ rule, validAcc: curve(40, 50), totalEpochs: 50, bestFinalSoFar: 90, logger }).stop).toBe(
      false,
    );
    expect(decideEarlyStop({ rule, validAcc: curve(40, 12), totalEpochs: 50, bestFinalSoFar: null, logger }).stop).toBe(
      false,
    );
  });

  it('asks the given extrapolator (the stored LCE model) and goes on when it refuses the curve', () => {
    const calls: number[] = [];
    const sure: Extrapolator = {
      method: 'KERNEL_RIDGE',
      forecast: (c, o) => {
        calls.push(c.length, o.targetEpoch);
        return { mean: 95, q05: 94, q50: 95, q95: 96, method: 'KERNEL_RIDGE' };
      },
    };
    expect(
      decideEarlyStop({
        rule,
        validAcc: curve(40, 12),
        totalEpochs: 50,
        bestFinalSoFar: 90,
        extrapolator: sure,
        logger,
      }).stop,
    ).toBe(false);
    expect(calls).toEqual([12, 50]);
    const refusing: Extrapolator = {
      method: 'KERNEL_RIDGE',
      forecast: () => {
        throw new NashubError(ErrorCode.INVALID_CURVE, 'refused', { details: {} });
      },
    };
    expect(
      decideEarlyStop({
        rule,
        validAcc: curve(40, 12),
        totalEpochs: 50,
        bestFinalSoFar: 90,
        extrapolator: refusing,
        logger,
      }),
    ).toEqual({ stop: false, probabilityOfImprovement: null });
  });
});
