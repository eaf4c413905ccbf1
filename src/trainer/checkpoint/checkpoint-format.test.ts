import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-format';

/** A checkpoint blob around any header JSON, with a valid digest, so that only the header is at fault. */
function blobWithHeader(header: unknown, floats = 4): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(16);
  Buffer.from('NASHUBCK', 'ascii').copy(prefix, 0);
  prefix.writeUInt32LE(1, 8);
  prefix.writeUInt32LE(json.length, 12);
  const body = Buffer.concat([prefix, json, Buffer.alloc(floats * 4)]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

function refusal(blob: Uint8Array): unknown {
  try {
    decodeCheckpoint(blob);
  } catch (error) {
    return error;
  }
  return 'ok';
}

describe('checkpoint header schema', () => {
  it('round-trips metadata and tensors', () => {
    const meta = { arch: 'a', nested: { b: [1, 2] } };
    const decoded = decodeCheckpoint(
      encodeCheckpoint({ meta, tensors: [{ name: 'w', shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) }] }),
    );
    expect(decoded.meta).toEqual(meta);
    expect(decoded.tensors).toEqual([{ name: 'w', shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) }]);
  });

  it.each([
    ['a header that is a list', [], ''],
    ['no tensor list', { meta: {} }, 'tensors'],
    ['a tensor without a name', { meta: {}, tensors: [{ shape: [4], offset: 0, length: 4 }] }, 'tensors[0].name'],
    [
      'a negative offset',
      { meta: {}, tensors: [{ name: 'w', shape: [4], offset: -1, length: 4 }] },
      'tensors[0].offset',
    ],
    [
      'a fractional dimension',
      { meta: {}, tensors: [{ name: 'w', shape: [1.5], offset: 0, length: 4 }] },
      'tensors[0].shape[0]',
    ],
    [
      'a length as text',
      { meta: {}, tensors: [{ name: 'w', shape: [4], offset: 0, length: '4' }] },
      'tensors[0].length',
    ],
  ])('refuses %s with CHECKPOINT_INVALID naming the field', (_, header, field) => {
    expect(refusal(blobWithHeader(header))).toMatchObject({ code: ErrorCode.CHECKPOINT_INVALID, details: { field } });
  });

  it('still refuses a tensor that does not fit the data', () => {
    expect(
      refusal(blobWithHeader({ meta: {}, tensors: [{ name: 'w', shape: [8], offset: 0, length: 8 }] })),
    ).toMatchObject({
      code: ErrorCode.CHECKPOINT_INVALID,
      details: { tensor: 'w' },
    });
  });
});
