import type { NetworkLayer } from '../network-layer';
import type { Nb101Arch } from './cell';
import type { Nb101Macro } from './macro';
import { nb101VertexChannels } from './vertex-channels';

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
 * Convs have stride 1 and `same` padding; BNs have trainable gamma and beta (TF `batch_normalization`). ReLUs, pools,
 * truncations, sums and concatenations have no parameters and are not listed.
 */
export function describeNb101Network(arch: Nb101Arch, macro: Nb101Macro): NetworkLayer[] {
  const layers: NetworkLayer[] = [];
  const convBn = (name: string, inChannels: number, outChannels: number, kernel: number, outputSize: number): void => {
    layers.push({
      kind: 'conv',
      name: `${name}.conv`,
      inChannels,
      outChannels,
      kernel,
      stride: 1,
      dilation: 1,
      groups: 1,
      outputSize,
    });
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
