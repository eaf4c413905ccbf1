import type { NetworkLayer } from '../network-layer';
import { NB201_EDGES, type Nb201Arch } from './cell';
import type { Nb201Macro } from './macro';

/**
 * The parametrised layers of the NB201 network of a cell, in forward order: the spec the trainer must build so that
 * its parameter count equals NAS-Bench-201's `params`. The skeleton (NAS-Bench-201 TinyNetwork):
 * - stem: conv3x3 inputChannels→C, BN;
 * - 3 stages of N cells at C, 2C, 4C channels; each cell edge is its op at equal channels: `nor_conv_kxk` =
 *   ReLU → conv k×k → BN, `avg_pool_3x3` (stride 1, pad 1) and `skip_connect` (identity) have no parameters, `none`
 *   outputs zeros; node j sums its incoming edges, the cell output is node 3;
 * - before stages 2 and 3, a residual reduction block (ResNet basic block): ReLU → conv3x3 stride 2 → BN →
 *   ReLU → conv3x3 → BN, plus a shortcut of 2×2 avg-pool stride 2 → conv1x1 (no BN: this matches the published
 *   parameter counts exactly, a BN there does not); the block outputs their sum;
 * - BN → ReLU → global average pool → linear 4C→numClasses.
 * Convs have padding `(kernel - 1) / 2`. ReLUs, pools, identities and sums have no parameters and are not listed.
 */
export function describeNb201Network(arch: Nb201Arch, macro: Nb201Macro): NetworkLayer[] {
  const layers: NetworkLayer[] = [];
  const conv = (
    name: string,
    inChannels: number,
    outChannels: number,
    kernel: number,
    stride: number,
    inputSize: number,
  ): number => {
    const outputSize = Math.floor((inputSize + 2 * ((kernel - 1) >> 1) - kernel) / stride) + 1;
    layers.push({ kind: 'conv', name, inChannels, outChannels, kernel, stride, dilation: 1, groups: 1, outputSize });
    return outputSize;
  };
  const bn = (name: string, channels: number): void => {
    layers.push({ kind: 'batch-norm', name, channels });
  };

  let size = conv('stem.conv', macro.inputChannels, macro.C, 3, 1, macro.inputSize);
  bn('stem.bn', macro.C);
  let channels = macro.C;
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      const out = channels * 2;
      const block = `reduction${stage}`;
      const reduced = conv(`${block}.conv_a`, channels, out, 3, 2, size);
      bn(`${block}.bn_a`, out);
      conv(`${block}.conv_b`, out, out, 3, 1, reduced);
      bn(`${block}.bn_b`, out);
      conv(`${block}.shortcut.conv`, channels, out, 1, 1, reduced);
      channels = out;
      size = reduced;
    }
    for (let cell = 0; cell < macro.N; cell++) {
      NB201_EDGES.forEach(([to, from], edge) => {
        const kernel = arch[edge] === 'nor_conv_1x1' ? 1 : arch[edge] === 'nor_conv_3x3' ? 3 : 0;
        if (kernel === 0) return;
        const name = `stage${stage}.cell${cell}.edge[${to}<-${from}]`;
        conv(`${name}.conv`, channels, channels, kernel, 1, size);
        bn(`${name}.bn`, channels);
      });
    }
  }
  bn('lastact.bn', channels);
  layers.push({ kind: 'linear', name: 'classifier', inFeatures: channels, outFeatures: macro.numClasses });
  return layers;
}
