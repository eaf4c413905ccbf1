import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import { createRng } from '../../random/rng';
import type { GraphEncoding, VectorEncoding } from '../search-space';
import { DARTS_GRAPH_FEATURES, DARTS_GRAPH_NODE_COUNT } from './adjacency-encoding';
import { encodeDarts } from './encode';
import { DARTS_ONEHOT_LENGTH } from './onehot-encoding';
import { sampleDarts } from './sample';

describe('encodeDarts', () => {
  it('one-hot: 12 bits per pair slot with one op and one input set', () => {
    const genotype = sampleDarts(createRng(1));
    const { vector } = encodeDarts(genotype, 'onehot') as VectorEncoding;
    expect(vector).toHaveLength(DARTS_ONEHOT_LENGTH);
    expect(DARTS_ONEHOT_LENGTH).toBe(192);
    for (let slot = 0; slot < 16; slot++) {
      const bits = vector.slice(slot * 12, slot * 12 + 12);
      expect(bits.slice(0, 7).reduce((a, b) => a + b)).toBe(1);
      expect(bits.slice(7).reduce((a, b) => a + b)).toBe(1);
    }
    const pair = genotype.reduce[7];
    expect(vector[(8 + 7) * 12 + 7 + pair.input]).toBe(1);
  });

  it('adjacency: 22 nodes, every op feeding its cell output, the normal block feeding the reduction block', () => {
    const genotype = sampleDarts(createRng(2));
    const graph = encodeDarts(genotype, 'adjacency') as GraphEncoding;
    expect(graph.adjacency).toHaveLength(DARTS_GRAPH_NODE_COUNT);
    expect(graph.features[0]).toHaveLength(DARTS_GRAPH_FEATURES.length);
    expect(graph.outputNode).toBe(21);
    for (let slot = 0; slot < 8; slot++) {
      expect(graph.adjacency[2 + slot][10]).toBe(1);
      expect(graph.adjacency[13 + slot][21]).toBe(1);
      // Each op node has exactly one producer state: an input node, or the two ops of a node.
      const producers = graph.adjacency.filter((row) => row[2 + slot] === 1).length;
      expect(producers).toBe(genotype.normal[slot].input < 2 ? 1 : 2);
    }
    expect([graph.adjacency[10][11], graph.adjacency[10][12]]).toEqual([1, 1]);
    expect(graph.features.every((row) => row.reduce((a, b) => a + b) === 1)).toBe(true);
  });

  it('does not support the path encoding', () => {
    try {
      encodeDarts(sampleDarts(createRng(3)), 'path');
      expect.unreachable('path should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(NashubError);
      expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    }
  });
});
