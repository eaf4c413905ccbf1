import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import { nb101Cost, nb101NetworkSize } from './cost';
import { nb101VertexChannels } from './vertex-channels';
import { INCEPTION } from '../../../../test/support/nb101-cells';

describe('nb101VertexChannels', () => {
  // The cases of NAS-Bench-101's model_builder_test.py.
  it.each([
    [
      [
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
      ],
      8,
      16,
      [8, 16, 16, 16],
    ],
    [
      [
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
      ],
      16,
      8,
      [16, 8, 8, 8],
    ],
    [
      [
        [0, 1],
        [0, 0],
      ],
      1,
      5,
      [1, 5],
    ],
    [
      [
        [0, 1, 1, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      8,
      16,
      [8, 16, 16, 16, 16],
    ],
    [
      [
        [0, 1, 1, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
      ],
      8,
      15,
      [8, 8, 7, 15],
    ],
    [
      [
        [0, 1, 1, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      8,
      8,
      [8, 3, 3, 2, 8],
    ],
    [
      [
        [0, 1, 1, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      8,
      15,
      [8, 5, 5, 5, 15],
    ],
    [
      [
        [0, 1, 0, 0, 0],
        [0, 0, 1, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      8,
      9,
      [8, 5, 5, 4, 9],
    ],
    [
      [
        [0, 1, 0, 1, 0],
        [0, 0, 1, 0, 1],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      8,
      15,
      [8, 8, 7, 7, 15],
    ],
  ])('splits channels like NAS-Bench-101 (%#)', (matrix, input, output, expected) => {
    expect(nb101VertexChannels(input, output, matrix)).toEqual(expected);
  });
});

describe('nb101Cost', () => {
  it("equals NAS-Bench-101's trainable_parameters for the README Inception-like cell (2,694,282)", () => {
    expect(nb101NetworkSize(INCEPTION).params).toBe(2_694_282);
    expect(nb101Cost(INCEPTION).paramsM).toBeCloseTo(2.694282, 6);
  });

  it('counts the input → output cell as projections only', () => {
    // stem 3·128·9 + 256; stack 0: 3 × (128² + 256); stack 1: 128·256 + 512 + 2 × (256² + 512);
    // stack 2: 256·512 + 1024 + 2 × (512² + 1024); classifier 512·10 + 10.
    const expected = 3712 + 3 * 16_640 + 33_280 + 2 * 66_048 + 132_096 + 2 * 263_168 + 5130;
    expect(
      nb101NetworkSize({
        matrix: [
          [0, 1],
          [0, 0],
        ],
        ops: ['input', 'output'],
      }).params,
    ).toBe(expected);
  });

  it('counts MACs at 32, 16 and 8 pixels', () => {
    const { macs } = nb101NetworkSize({
      matrix: [
        [0, 1],
        [0, 0],
      ],
      ops: ['input', 'output'],
    });
    const expected =
      3 * 128 * 9 * 1024 +
      3 * 128 * 128 * 1024 +
      (128 * 256 + 2 * 256 * 256) * 256 +
      (256 * 512 + 2 * 512 * 512) * 64 +
      5120;
    expect(macs).toBe(expected);
  });

  it('scales with the macro and rejects a non-positive field', () => {
    expect(nb101NetworkSize(INCEPTION, { stemChannels: 16, cellsPerStack: 1 }).params).toBeLessThan(100_000);
    expect(() => nb101Cost(INCEPTION, { stacks: 0 })).toThrow(NashubError);
    try {
      nb101Cost(INCEPTION, { stemChannels: 2 });
    } catch (error) {
      expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    }
  });
});
