import { createRng, type NetworkLayer } from '../../core';
import type { CheckpointTensor } from '../checkpoint/checkpoint-format';

/**
 * The initial trainable weights of a network from its seed, drawn exactly as the tfjs networks draw them (one
 * mulberry32 stream over core's layer list in order: each conv's filter [k, k, in, out] and the classifier's weight
 * [in, out] then bias, uniform ±1/√fan_in; batch norms start at γ = 1, β = 0 and draw nothing), in tfjs's layouts.
 * So a PyTorch run starts from the very weights a tfjs run of the same seed starts from.
 */
export function initialWeights(layers: readonly NetworkLayer[], seed: number): CheckpointTensor[] {
  const rng = createRng(seed);
  const draw = (name: string, shape: number[], fanIn: number): CheckpointTensor => {
    const bound = 1 / Math.sqrt(fanIn);
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (rng.next() * 2 - 1) * bound;
    return { name, shape, values };
  };
  const tensors: CheckpointTensor[] = [];
  for (const layer of layers) {
    if (layer.kind === 'conv') {
      const { kernel, inChannels, outChannels } = layer;
      tensors.push(
        draw(`${layer.name}.weight`, [kernel, kernel, inChannels, outChannels], inChannels * kernel * kernel),
      );
    } else if (layer.kind === 'linear') {
      tensors.push(draw(`${layer.name}.weight`, [layer.inFeatures, layer.outFeatures], layer.inFeatures));
      tensors.push(draw(`${layer.name}.bias`, [layer.outFeatures], layer.inFeatures));
    }
  }
  return tensors;
}
