import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import { createRng } from '../../random/rng';
import type { EncodingKindValue, GraphEncoding, VectorEncoding } from '../search-space';
import type { Nb101Arch } from './cell';
import { encodeNb101 } from './encode';
import { NB101_ONEHOT_LENGTH } from './onehot-encoding';
import { NB101_PATH_LENGTH } from './path-encoding';
import { sampleNb101 } from './sample';
import { C1, C3, MP } from '../../../../test/support/nb101-cells';

// input → conv1x1 → maxpool → output, plus input → conv3x3 → output and input → output.
const CELL: Nb101Arch = {
  matrix: [
    [0, 1, 0, 1, 1],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 0, 1],
    [0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0],
  ],
  ops: ['input', C1, MP, C3, 'output'],
};

describe('encodeNb101', () => {
  it('one-hot: 21 edge bits with the output padded to vertex 6, then 5 × 3 op bits', () => {
    const { vector } = encodeNb101(CELL, 'onehot') as VectorEncoding;
    expect(vector).toHaveLength(NB101_ONEHOT_LENGTH);
    const edgeBit = (i: number, j: number): number => vector[i * 7 - (i * (i + 1)) / 2 + (j - i - 1)];
    expect([edgeBit(0, 1), edgeBit(0, 3), edgeBit(0, 6), edgeBit(1, 2), edgeBit(2, 6), edgeBit(3, 6)]).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
    expect(vector.slice(0, 21).reduce((a, b) => a + b)).toBe(6);
    // Vertex 1 conv1x1, 2 maxpool, 3 conv3x3, 4 and 5 padding.
    expect(vector.slice(21)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('adjacency: ops on 7 padded nodes, output node n - 1', () => {
    const graph = encodeNb101(CELL, 'adjacency') as GraphEncoding;
    expect(graph.outputNode).toBe(4);
    expect(graph.features).toEqual([
      [1, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 1, 0, 0, 0],
      [0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(graph.adjacency[0]).toEqual([0, 1, 0, 1, 1, 0, 0]);
    expect(graph.adjacency[6]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('path: one bit per input → output op sequence (BANANAS indexing)', () => {
    const { vector } = encodeNb101(CELL, 'path') as VectorEncoding;
    expect(vector).toHaveLength(NB101_PATH_LENGTH);
    // Paths: [] → 0; [conv3x3] → 1; [conv1x1, maxpool] → 1·(1+1) + 3·(2+1) = 11.
    expect(vector.flatMap((bit, index) => (bit ? [index] : []))).toEqual([0, 1, 11]);
  });

  it('gives fixed-length encodings for sampled cells', () => {
    const rng = createRng(2);
    for (let i = 0; i < 100; i++) {
      const arch = sampleNb101(rng);
      expect((encodeNb101(arch, 'onehot') as VectorEncoding).vector).toHaveLength(NB101_ONEHOT_LENGTH);
      const path = (encodeNb101(arch, 'path') as VectorEncoding).vector;
      expect(path).toHaveLength(NB101_PATH_LENGTH);
      expect(path.some((bit) => bit === 1)).toBe(true);
      const graph = encodeNb101(arch, 'adjacency') as GraphEncoding;
      expect(graph.adjacency).toHaveLength(7);
      expect(graph.features[graph.outputNode][4]).toBe(1);
    }
  });

  it('throws INVALID_ARGUMENT for an unknown encoding', () => {
    const run = (): unknown => encodeNb101(CELL, 'bogus' as EncodingKindValue);
    expect(run).toThrow(NashubError);
    try {
      run();
    } catch (error) {
      expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    }
  });
});
