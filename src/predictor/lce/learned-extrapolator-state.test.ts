import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticPopulation } from '../../../test/support/synthetic-curves';
import { CurveExtrapolator } from './curve-extrapolator';
import { CurveScale } from './curve-scale';
import { fitCurveExtrapolator } from './fit-curve-extrapolator';
import { trainLearnedExtrapolator } from './learned-extrapolator';
import { checkLearnedExtrapolatorState, type LearnedExtrapolatorState } from './learned-extrapolator-state';

const population = syntheticPopulation(30, 40, 7);
const learned = trainLearnedExtrapolator({
  curves: population,
  scale: CurveScale.PERCENT,
  fractions: [0.2, 0.4],
  seed: 1,
}).toJSON();
const curveState = JSON.parse(
  JSON.stringify(
    fitCurveExtrapolator(
      population.map((values) => ({ values })),
      { fractions: [0.2], seed: 2 },
    ).toJSON(),
  ),
);
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return 'ok';
}

/** The learned state with one change made by `edit` on a copy. */
function edited(edit: (state: LearnedExtrapolatorState & Record<string, unknown>) => void): unknown {
  const state = copy(learned) as LearnedExtrapolatorState & Record<string, unknown>;
  edit(state);
  return state;
}

describe('learned extrapolator state schema', () => {
  it('accepts a trained state and returns the very object it was given', () => {
    const plain = copy(learned);
    expect(checkLearnedExtrapolatorState(plain)).toBe(plain);
  });

  it.each([
    ['a list', () => [learned], ''],
    ['another format', () => edited((s) => void (s.format = 'other' as never)), 'format'],
    ['an unknown method', () => edited((s) => void (s.method = 'LAST_VALUE')), 'method'],
    ['zero points', () => edited((s) => void (s.points = 0)), 'points'],
    ['usesPrior as text', () => edited((s) => void (s.usesPrior = 'yes' as never)), 'usesPrior'],
    ['no fraction models', () => edited((s) => void (s.fractions = [])), 'fractions'],
    ['a fraction of 1', () => edited((s) => void (s.fractions[1]!.fraction = 1)), 'fractions[1].fraction'],
    [
      'fractions out of order',
      () => edited((s) => void (s.fractions[1]!.fraction = s.fractions[0]!.fraction)),
      'fractions[1].fraction',
    ],
    [
      'a zero standard deviation',
      () => edited((s) => void (s.fractions[0]!.model.sd[2] = 0)),
      'fractions[0].model.sd[2]',
    ],
    [
      'a weight that is not a number',
      () => edited((s) => void (s.fractions[0]!.model.weights[0] = null as never)),
      'fractions[0].model.weights[0]',
    ],
    ['a short weight list', () => edited((s) => void s.fractions[0]!.model.weights.pop()), 'fractions[0].model'],
    ['empty residuals', () => edited((s) => void (s.fractions[0]!.residuals = [])), 'fractions[0].residuals'],
    [
      'an encoding the model width lacks',
      () => edited((s) => void (s.encodingLength = 3)),
      'fractions[0].model.kernel.centres',
    ],
  ])('refuses %s with INVALID_ARGUMENT naming the field', (_, make, field) => {
    expect(refusal(() => checkLearnedExtrapolatorState(make()))).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      details: { argument: 'state', field },
    });
  });
});

describe('curve extrapolator state schema', () => {
  it('keeps the stored state as given, so save() writes the same bytes', () => {
    const text = JSON.stringify(curveState);
    expect(new TextDecoder().decode(CurveExtrapolator.fromJSON(JSON.parse(text)).save())).toBe(text);
  });

  it.each([
    ['another scale', { scale: 'RATIO' }, 'scale'],
    ['epochs as text', { epochs: '40' }, 'epochs'],
    ['no withArchitecture', { withArchitecture: undefined }, 'withArchitecture'],
    ['a space without an architecture model', { space: 'nb201' }, 'space'],
    ['a broken curve-only model', { curveOnly: { ...curveState.curveOnly, points: -1 } }, 'curveOnly.points'],
    [
      'a curve-only model without fractions',
      { curveOnly: { ...curveState.curveOnly, fractions: 3 } },
      'curveOnly.fractions',
    ],
  ])('refuses %s with INVALID_ARGUMENT naming the field', (_, change, field) => {
    expect(refusal(() => CurveExtrapolator.fromJSON({ ...curveState, ...change }))).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      details: { field },
    });
  });
});
