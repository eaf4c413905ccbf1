import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import type { EncodingKindValue, GraphEncoding, VectorEncoding } from '../search-space';
import { encodeNb201 } from './encode';
import { parseNb201 } from './parse';

const CELL = parseNb201('|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|');

describe('encodeNb201', () => {
  it('one-hot: 30 bits, edge-major, one per edge', () => {
    const { vector } = encodeNb201(CELL, 'onehot') as VectorEncoding;
    expect(vector).toHaveLength(30);
    expect(vector.reduce((a, b) => a + b, 0)).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((edge) => vector.indexOf(1, edge * 5) - edge * 5)).toEqual([3, 0, 4, 1, 2, 0]);
  });

  it('adjacency: 8 op-nodes, none nodes disconnected, output last', () => {
    const graph = encodeNb201(CELL, 'adjacency') as GraphEncoding;
    expect(graph.outputNode).toBe(7);
    expect(graph.features.map((row) => row.indexOf(1))).toEqual([0, 4, 1, 5, 2, 3, 1, 6]);
    const edges: string[] = [];
    graph.adjacency.forEach((row, from) => row.forEach((bit, to) => bit && edges.push(`${from}>${to}`)));
    // input→conv3x3(1←0), input→skip(3←0); conv3x3 (node 1) → pool(2←1), conv1x1(3←1); pool (node 2) → none(3←2) is
    // dropped; skip and conv1x1 reach the output.
    expect(edges).toEqual(['0>1', '0>4', '1>3', '1>5', '4>7', '5>7']);
  });

  it('path: the surviving input→output paths of the 155-bit layout', () => {
    const { vector } = encodeNb201(CELL, 'path') as VectorEncoding;
    expect(vector).toHaveLength(155);
    // Paths: skip (len 1) → 1; conv3x3→conv1x1 (len 2) → 5 + 3·5 + 2; 0→2→3 and 0→1→2→3 are cut by none edges.
    expect(vector.flatMap((bit, index) => (bit ? [index] : []))).toEqual([1, 22]);
  });

  it('rejects an unknown kind with INVALID_ARGUMENT', () => {
    expect(() => encodeNb201(CELL, 'graph' as EncodingKindValue)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }) as NashubError,
    );
  });
});
