import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../error/nashub-error';
import { nb201Cost } from './cost';
import { parseNb201 } from './parse';

// params_mb_cifar10 of NAS-Bench-201 (arch_index in brackets), checked against the published table.
const PUBLISHED: [string, number][] = [
  ['|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 0.073306], // 1651
  ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|', 1.531546], // 1462
  ['|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|', 0.241306], // 4317
  ['|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|', 0.129306], // 0
  ['|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', 0.802426], // 1
  ['|avg_pool_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|', 0.559386], // 2
];

describe('nb201Cost', () => {
  it.each(PUBLISHED)('matches the published parameter count of %s', (text, paramsM) => {
    expect(nb201Cost(parseNb201(text)).paramsM).toBeCloseTo(paramsM, 6);
  });

  it('counts conv and linear MACs at 32×32', () => {
    // All-none: stem 27·16·32² + reduction 1 (9·16·32 + 9·32² + 16·32)·16² + reduction 2 (9·32·64 + 9·64² + 32·64)·8²
    // + classifier 64·10.
    const expected = 27 * 16 * 1024 + (4608 + 9216 + 512) * 256 + (18432 + 36864 + 2048) * 64 + 640;
    expect(nb201Cost(parseNb201(PUBLISHED[0][0])).flopsM).toBeCloseTo(expected / 1e6, 9);
  });

  it('scales with the macro and rejects a bad one', () => {
    const arch = parseNb201(PUBLISHED[1][0]);
    expect(nb201Cost(arch, { C: 8, N: 1 }).paramsM).toBeLessThan(nb201Cost(arch).paramsM);
    expect(() => nb201Cost(arch, { N: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });
});
