import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../core';
import type { Predictor } from '../predictor/surrogate/predictor';
import { predictorFromBytes } from './predictor-bytes';

/** A weights blob around any header JSON and `weights` bytes, as predictorToBytes lays it out. */
function blob(header: unknown, weights = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(5 + 4 + json.byteLength + weights);
  out.set(new TextEncoder().encode('NHPW1'), 0);
  new DataView(out.buffer).setUint32(5, json.byteLength, true);
  out.set(json, 9);
  return out;
}

// The header is checked before tfjs sees anything: a predictor that loads whatever it is given is enough.
const loaded: unknown[] = [];
const predictor = { load: async (handler: unknown) => void loaded.push(handler) } as unknown as Predictor;
const good = { modelTopology: null, weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }], weightBytes: 8 };

async function refusal(bytes: Uint8Array): Promise<unknown> {
  return predictorFromBytes(predictor, bytes, 'p1').then(
    () => 'ok',
    (error: unknown) => error,
  );
}

describe('predictor weights header schema', () => {
  it('passes a well-formed header on to the predictor', async () => {
    expect(await refusal(blob(good, 8))).toBe('ok');
    expect(loaded).toHaveLength(1);
  });

  it.each([
    ['a list', [good], ''],
    ['a topology that is text', { ...good, modelTopology: 'x' }, 'modelTopology'],
    ['weight specs that are not a list', { ...good, weightSpecs: {} }, 'weightSpecs'],
    ['a spec without a dtype', { ...good, weightSpecs: [{ name: 'w', shape: [2] }] }, 'weightSpecs[0].dtype'],
    [
      'a negative dimension',
      { ...good, weightSpecs: [{ name: 'w', shape: [-2], dtype: 'float32' }] },
      'weightSpecs[0].shape[0]',
    ],
    ['no weight byte count', { ...good, weightBytes: undefined }, 'weightBytes'],
  ])('refuses %s with FILE_INVALID naming the field', async (_, header, field) => {
    expect(await refusal(blob(header, 8))).toMatchObject({
      code: ErrorCode.FILE_INVALID,
      details: { predictor: 'p1', field },
    });
  });

  it('still refuses a blob whose weight bytes differ from the header', async () => {
    expect(await refusal(blob(good, 4))).toMatchObject({ code: ErrorCode.FILE_INVALID, details: { predictor: 'p1' } });
  });
});
