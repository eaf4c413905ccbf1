import type { ConvLayer, NetworkLayer } from '../network-layer';
import { DARTS_CONCAT, type DartsGenotype, type DartsPair } from './genotype';
import type { DartsMacro } from './macro';

/** Output size of a stride-2 layer; DARTS's paddings keep `ceil(size / 2)` for every op (exact for even sizes). */
function halve(size: number): number {
  return Math.ceil(size / 2);
}

/**
 * The parametrised layers of the DARTS CIFAR evaluation network of a genotype, in forward order (DARTS `cnn/model.py`
 * `NetworkCIFAR` and `cnn/operations.py`, all BNs affine):
 * - stem: conv3x3 inputChannels → 3C, BN;
 * - `layers` cells; cells layers/3 and 2·layers/3 are reduction cells (they use `reduce` and double C). A cell
 *   preprocesses s0 with FactorizedReduce (ReLU, two 1 × 1 stride-2 convs to C/2 each, concatenated, BN) when the
 *   previous cell reduced, else with ReLU-conv1x1-BN, and s1 with ReLU-conv1x1-BN, both to C; each pair applies its
 *   op to a state (stride 2 on states 0 and 1 of a reduction cell); node k sums its two pairs; the cell output
 *   concatenates nodes 0..3 (4C channels);
 * - ops: `sep_conv_k` = twice (ReLU, depthwise k × k, pointwise 1 × 1, BN), the first with the stride;
 *   `dil_conv_k` = ReLU, depthwise k × k dilation 2, pointwise, BN; `skip_connect` = identity, or FactorizedReduce
 *   at stride 2; pools (3 × 3, pad 1) have no parameters and no BN;
 * - the auxiliary head (only with `macro.auxiliary`) on the output of cell 2·layers/3: ReLU, 5 × 5 avg-pool stride 3,
 *   conv1x1 → 128, BN, ReLU, conv2x2 → 768, BN, ReLU, linear → numClasses;
 * - global average pool, linear 4C → numClasses.
 * ReLUs, pools, identities, sums and concatenations have no parameters and are not listed.
 */
export function describeDartsNetwork(genotype: DartsGenotype, macro: DartsMacro): NetworkLayer[] {
  const layers: NetworkLayer[] = [];
  const conv = (name: string, shape: Omit<ConvLayer, 'kind' | 'name'>): void => {
    layers.push({ kind: 'conv', name, ...shape });
  };
  const bn = (name: string, channels: number): void => {
    layers.push({ kind: 'batch-norm', name, channels });
  };
  const plain = { stride: 1, dilation: 1, groups: 1 };
  const reluConvBn = (name: string, inChannels: number, outChannels: number, outputSize: number): void => {
    conv(`${name}.conv`, { inChannels, outChannels, kernel: 1, outputSize, ...plain });
    bn(`${name}.bn`, outChannels);
  };
  const factorizedReduce = (name: string, inChannels: number, outChannels: number, outputSize: number): void => {
    for (const half of ['conv_1', 'conv_2']) {
      conv(`${name}.${half}`, {
        inChannels,
        outChannels: outChannels / 2,
        kernel: 1,
        stride: 2,
        dilation: 1,
        groups: 1,
        outputSize,
      });
    }
    bn(`${name}.bn`, outChannels);
  };
  const op = (name: string, pair: DartsPair, C: number, stride: number, outputSize: number): void => {
    const depthwise = (part: string, kernel: number, dilation: number, convStride: number): void => {
      conv(`${name}.${part}.dw`, {
        inChannels: C,
        outChannels: C,
        kernel,
        stride: convStride,
        dilation,
        groups: C,
        outputSize,
      });
      conv(`${name}.${part}.pw`, { inChannels: C, outChannels: C, kernel: 1, outputSize, ...plain });
      bn(`${name}.${part}.bn`, C);
    };
    const kernel = pair.op.endsWith('5x5') ? 5 : 3;
    if (pair.op.startsWith('sep_conv')) {
      depthwise('sep1', kernel, 1, stride);
      depthwise('sep2', kernel, 1, 1);
    } else if (pair.op.startsWith('dil_conv')) {
      depthwise('dil', kernel, 2, stride);
    } else if (pair.op === 'skip_connect' && stride === 2) {
      factorizedReduce(`${name}.reduce`, C, C, outputSize);
    }
  };

  const stemChannels = 3 * macro.C;
  conv('stem.conv', {
    inChannels: macro.inputChannels,
    outChannels: stemChannels,
    kernel: 3,
    outputSize: macro.inputSize,
    ...plain,
  });
  bn('stem.bn', stemChannels);

  let [prevPrevChannels, prevChannels, C] = [stemChannels, stemChannels, macro.C];
  let [prevPrevSize, prevSize] = [macro.inputSize, macro.inputSize];
  let reductionPrev = false;
  const reductions = [Math.floor(macro.layers / 3), Math.floor((2 * macro.layers) / 3)];
  for (let i = 0; i < macro.layers; i++) {
    const reduction = reductions.includes(i);
    if (reduction) C *= 2;
    const name = `cells.${i}`;
    if (reductionPrev) factorizedReduce(`${name}.preprocess0`, prevPrevChannels, C, prevSize);
    else reluConvBn(`${name}.preprocess0`, prevPrevChannels, C, prevPrevSize);
    reluConvBn(`${name}.preprocess1`, prevChannels, C, prevSize);
    const outputSize = reduction ? halve(prevSize) : prevSize;
    const pairs = reduction ? genotype.reduce : genotype.normal;
    pairs.forEach((pair, slot) => {
      const stride = reduction && pair.input < 2 ? 2 : 1;
      op(`${name}.ops.${slot}`, pair, C, stride, outputSize);
    });
    [prevPrevChannels, prevChannels] = [prevChannels, DARTS_CONCAT.length * C];
    [prevPrevSize, prevSize] = [prevSize, outputSize];
    reductionPrev = reduction;
    if (macro.auxiliary && i === reductions[1]) {
      const pooled = Math.floor((prevSize - 5) / 3) + 1;
      conv('auxiliary.conv1', { inChannels: prevChannels, outChannels: 128, kernel: 1, outputSize: pooled, ...plain });
      bn('auxiliary.bn1', 128);
      conv('auxiliary.conv2', { inChannels: 128, outChannels: 768, kernel: 2, outputSize: pooled - 1, ...plain });
      bn('auxiliary.bn2', 768);
      layers.push({ kind: 'linear', name: 'auxiliary.classifier', inFeatures: 768, outFeatures: macro.numClasses });
    }
  }
  layers.push({ kind: 'linear', name: 'classifier', inFeatures: prevChannels, outFeatures: macro.numClasses });
  return layers;
}
