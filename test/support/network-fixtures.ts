import * as tf from '@tensorflow/tfjs';
import { createRng, type NetworkLayer } from '../../src/core';

/** Core's layer list as (name, size) of the tensors a trainer network must hold. */
export function expectedTensors(layers: NetworkLayer[]): [string, number][] {
  return layers.flatMap((layer): [string, number][] => {
    if (layer.kind === 'conv')
      return [[`${layer.name}.weight`, layer.inChannels * layer.outChannels * layer.kernel * layer.kernel]];
    if (layer.kind === 'batch-norm')
      return [
        [`${layer.name}.gamma`, layer.channels],
        [`${layer.name}.beta`, layer.channels],
      ];
    return [
      [`${layer.name}.weight`, layer.inFeatures * layer.outFeatures],
      [`${layer.name}.bias`, layer.outFeatures],
    ];
  });
}

/** Seeded NHWC images with values in [-1, 1). */
export function randomImages(
  batch: number,
  macro: { inputSize: number; inputChannels: number },
  seed: number,
): tf.Tensor4D {
  const rng = createRng(seed);
  const shape: [number, number, number, number] = [batch, macro.inputSize, macro.inputSize, macro.inputChannels];
  return tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1),
    shape,
  );
}
