import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../error/nashub-error';
import { validateNb201 } from './validate';

const TEXT = '|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|';
const OPS = ['nor_conv_3x3', 'none', 'avg_pool_3x3', 'skip_connect', 'nor_conv_1x1', 'none'];

describe('validateNb201', () => {
  it('accepts the arch string and the six-op array, returning a fresh array', () => {
    expect(validateNb201(TEXT)).toEqual(OPS);
    const input = [...OPS];
    const arch = validateNb201(input);
    expect(arch).toEqual(OPS);
    expect(arch).not.toBe(input);
  });

  it.each([
    [42, { reason: 'wrong-type' }],
    [{ ops: OPS }, { reason: 'wrong-type' }],
    [OPS.slice(1), { reason: 'wrong-edge-count', field: 'ops' }],
    [[...OPS.slice(0, 3), 'conv', ...OPS.slice(4)], { reason: 'unknown-op', field: 'ops[3]' }],
    [[...OPS.slice(0, 5), 7], { reason: 'unknown-op', field: 'ops[5]' }],
    ['|bad~0|', { reason: 'unknown-op', position: 1 }],
  ])('rejects %j', (value, details) => {
    expect(() => validateNb201(value)).toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_ARCHITECTURE,
        details: expect.objectContaining({ space: 'nb201', ...details }),
      }),
    );
  });
});
