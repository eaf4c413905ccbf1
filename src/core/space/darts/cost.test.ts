import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import { dartsCost, dartsNetworkSize } from './cost';
import { parseDarts } from './parse';

// As DARTS's and P-DARTS's genotypes.py write them.
const DARTS_V2 = parseDarts(
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])",
);
const PDARTS = parseDarts(
  "Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1), ('skip_connect', 0),('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3',0), ('dil_conv_5x5', 4)], normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1), ('dil_conv_5x5', 3)], reduce_concat=range(2, 6))",
);

describe('dartsCost', () => {
  it("counts P-DARTS as its authors' code does: 3,433,798 without and 3,910,224 with the auxiliary head", () => {
    // Published in chenxin061/pdarts issue #7 (NetworkCIFAR(36, 10, 20, auxiliary, PDARTS), sum of numel).
    expect(dartsNetworkSize(PDARTS).params).toBe(3_433_798);
    expect(dartsNetworkSize(PDARTS, { auxiliary: true }).params).toBe(3_910_224);
  });

  it('gives DARTS-V2 the 3.3M parameters the paper reports (3,349,342)', () => {
    expect(dartsNetworkSize(DARTS_V2).params).toBe(3_349_342);
    expect(dartsCost(DARTS_V2).paramsM).toBeCloseTo(3.349342, 6);
  });

  it('counts MACs at 32, 16 and 8 pixels', () => {
    expect(dartsNetworkSize(DARTS_V2).macs).toBe(528_359_040);
    const small = dartsNetworkSize(DARTS_V2, { inputSize: 16 }).macs;
    expect(small).toBeLessThan(528_359_040 / 3.5);
  });

  it('rejects an odd C and a non-positive field', () => {
    for (const macro of [{ C: 35 }, { layers: 0 }, { auxiliary: 'yes' as unknown as boolean }]) {
      try {
        dartsCost(DARTS_V2, macro);
        expect.unreachable('the macro should be rejected');
      } catch (error) {
        expect(error).toBeInstanceOf(NashubError);
        expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      }
    }
  });
});
