import type { Nb101Arch } from './cell';
import type { Nb101Macro } from './macro';
import { nb101VertexChannels } from './vertex-channels';

/** A 2-D convolution without bias, square kernel, stride 1, `same` padding. */
export interface Nb101ConvLayer {
  kind: 'conv';
  /** Dotted path of the layer in the network, e.g. `stack1.cell0.vertex2.conv`. */
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  /** Height = width of the input and output feature map. */
  size: number;
}

/** Batch normalisation with learnable scale and shift (TF `batch_normalization`: gamma and beta are trainable). */
export interface Nb101BatchNormLayer {
  kind: 'batch-norm';
  /** Dotted path of the layer in the network. */
  name: string;
  channels: number;
}

/** Fully connected layer with bias. */
export interface Nb101LinearLayer {
  kind: 'linear';
  /** Dotted path of the layer in the network. */
  name: string;
  inFeatures: number;
  outFeatures: number;
}

/** One parametrised layer of the NB101 network. */
export type Nb101Layer = Nb101ConvLayer | Nb101BatchNormLayer | Nb101LinearLayer;

/**
 * The parametrised layers of the NB101 network of a pruned cell, in forward order (NAS-Bench-101
 * `model_builder.build_model_fn` / `build_module`):
 * - stem: conv3x3 inputChannels → stemChannels, BN, ReLU;
 * - `stacks` stacks of `cellsPerStack` cells; before every stack but the first a 2 × 2 max-pool, stride 2, `same`
 *   padding, and the stack's channels double;
 * - in a cell with input channels Cin and output channels C, vertex channels come from `nb101VertexChannels`;
 *   interior vertex t sums its inputs: the cell input through a 1 × 1 projection (conv, BN, ReLU) to t's channels
 *   when input → t, and interior predecessors truncated to t's channels (no parameters); then its op: conv3x3 or
 *   conv1x1 (conv, BN, ReLU; t's channels in and out), or maxpool3x3 (stride 1, no parameters);
 * - the cell output concatenates the interior vertices that feed it, plus a projection of the cell input to C when
 *   input → output (added to the concatenation; it is the whole output when the cell has no interior vertex);
 * - global average pool, linear → numClasses.
 * ReLUs, pools, truncations, sums and concatenations have no parameters and are not listed.
 */
export function describeNb101Network(arch: Nb101Arch, macro: Nb101Macro): Nb101Layer[] {
  const layers: Nb101Layer[] = [];
  const convBn = (name: string, inChannels: number, outChannels: number, kernel: number, size: number): void => {
    layers.push({ kind: 'conv', name: `${name}.conv`, inChannels, outChannels, kernel, size });
    layers.push({ kind: 'batch-norm', name: `${name}.bn`, channels: outChannels });
  };
  const { matrix, ops } = arch;
  const n = matrix.length;

  let size = macro.inputSize;
  convBn('stem', macro.inputChannels, macro.stemChannels, 3, size);
  let channels = macro.stemChannels;
  for (let stack = 0; stack < macro.stacks; stack++) {
    let outChannels = channels;
    if (stack > 0) {
      size = Math.ceil(size / 2);
      outChannels = channels * 2;
    }
    for (let cell = 0; cell < macro.cellsPerStack; cell++) {
      const prefix = `stack${stack}.cell${cell}`;
      const vertex = nb101VertexChannels(channels, outChannels, matrix);
      for (let t = 1; t < n - 1; t++) {
        if (matrix[0][t]) convBn(`${prefix}.vertex${t}.projection`, channels, vertex[t], 1, size);
        if (ops[t] === 'conv3x3-bn-relu') convBn(`${prefix}.vertex${t}`, vertex[t], vertex[t], 3, size);
        if (ops[t] === 'conv1x1-bn-relu') convBn(`${prefix}.vertex${t}`, vertex[t], vertex[t], 1, size);
      }
      if (matrix[0][n - 1]) convBn(`${prefix}.output.projection`, channels, outChannels, 1, size);
      channels = outChannels;
    }
  }
  layers.push({ kind: 'linear', name: 'classifier', inFeatures: channels, outFeatures: macro.numClasses });
  return layers;
}
