import * as tf from '@tensorflow/tfjs';
import {
  EncodingKind,
  invariant,
  type EncodingKindValue,
  type GraphEncoding,
  type SearchSpace,
  type VectorEncoding,
} from '../../core';

/**
 * Encodes architectures into the tensors a network reads: `[x]` of shape [B, D] for vector encodings;
 * `[features, adjacency, readout]` of shapes [B, N, F], [B, N, N] and [B, N] for the adjacency encoding, with graphs
 * zero-padded to the batch's largest node count and `readout` one-hot at each graph's output node.
 */
export function encodeInputs(space: SearchSpace, archs: readonly unknown[], encoding: EncodingKindValue): tf.Tensor[] {
  if (encoding === EncodingKind.ADJACENCY)
    return encodeGraphs(archs.map((a) => space.encode(a, encoding) as GraphEncoding));
  const vectors = archs.map((a) => (space.encode(a, encoding) as VectorEncoding).vector);
  const width = vectors[0]?.length ?? 0;
  const data = new Float32Array(vectors.length * width);
  vectors.forEach((v, i) => {
    invariant(v.length === width, 'vector encodings of one space have one length');
    data.set(v, i * width);
  });
  return [tf.tensor2d(data, [vectors.length, width])];
}

function encodeGraphs(graphs: readonly GraphEncoding[]): tf.Tensor[] {
  const nodes = Math.max(1, ...graphs.map((g) => g.features.length));
  const width = graphs[0]?.features[0]?.length ?? 0;
  const features = new Float32Array(graphs.length * nodes * width);
  const adjacency = new Float32Array(graphs.length * nodes * nodes);
  const readout = new Float32Array(graphs.length * nodes);
  graphs.forEach((g, b) => {
    g.features.forEach((row, n) => features.set(row, (b * nodes + n) * width));
    g.adjacency.forEach((row, n) => adjacency.set(row, (b * nodes + n) * nodes));
    readout[b * nodes + g.outputNode] = 1;
  });
  return [
    tf.tensor3d(features, [graphs.length, nodes, width]),
    tf.tensor3d(adjacency, [graphs.length, nodes, nodes]),
    tf.tensor2d(readout, [graphs.length, nodes]),
  ];
}
