import { describe, expect, it } from 'vitest';
import { syntheticPopulation } from '../../test/support/synthetic-curves';
import { ErrorCode } from '../core';
import { fitCurveExtrapolator } from '../predictor/lce';
import { StoredCurveModels } from './stored-curve-models';

const curveOnly = fitCurveExtrapolator(
  syntheticPopulation(30, 40, 3).map((values) => ({ values })),
  { fractions: [0.2], seed: 4 },
);
const bytesOf = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const envelope = { format: 'nashub.lce.stored', version: 1, curveOnly: curveOnly.toJSON(), withTrainCurve: null };

function refusal(bytes: Uint8Array): unknown {
  try {
    StoredCurveModels.load(bytes);
  } catch (error) {
    return error;
  }
  return 'ok';
}

describe('stored curve models schema', () => {
  it('loads what save() wrote, with and without the training-curve model', () => {
    const models = new StoredCurveModels(curveOnly, null);
    expect(new TextDecoder().decode(StoredCurveModels.load(models.save()).save())).toBe(
      new TextDecoder().decode(models.save()),
    );
    expect(StoredCurveModels.load(bytesOf({ ...envelope, withTrainCurve: undefined })).withTrainCurve).toBeNull();
  });

  it.each([
    ['not JSON', new Uint8Array([0xff]), undefined],
    ['a list', bytesOf([envelope]), ''],
    ['another format', bytesOf({ ...envelope, format: 'x' }), 'format'],
    ['another version', bytesOf({ ...envelope, version: 2 }), 'version'],
    ['a broken model inside', bytesOf({ ...envelope, curveOnly: { ...envelope.curveOnly, scale: 'RATIO' } }), 'scale'],
  ])('refuses %s with INVALID_ARGUMENT', (_, bytes, field) => {
    expect(refusal(bytes)).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      details: field === undefined ? {} : { field },
    });
  });
});
