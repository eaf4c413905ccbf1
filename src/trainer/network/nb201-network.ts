import * as tf from '@tensorflow/tfjs';
import { NB201_EDGES, createRng, type Nb201Arch, type Nb201Macro } from '../../core';
import { BatchNorm } from './batch-norm';
import { seededUniform } from './seeded-uniform';
import { NetworkBase } from './trainable-network';

/** Options of {@link Nb201Network}. */
export interface Nb201NetworkOptions {
  /** The cell, one op per edge in core's `NB201_EDGES` order. */
  arch: Nb201Arch;
  /** Channels, cells per stage, classes and input shape. */
  macro: Nb201Macro;
  /** Seed of the weight initialisation. */
  seed: number;
}

/** A conv (no bias, filter [k, k, in, out]) followed by nothing; padding (k − 1) / 2 as in NAS-Bench-201. */
interface Conv {
  filter: tf.Variable;
  stride: number;
}

/**
 * The NAS-Bench-201 TinyNetwork of a cell in tfjs (NHWC), built in the order and with the names of core's
 * `describeNb201Network`, so that its trainable parameters are exactly core's `cost(arch).params`:
 * stem conv3x3 + BN; 3 stages of N cells at C, 2C, 4C; residual reduction blocks before stages 2 and 3; BN → ReLU →
 * global average pool → linear. Weights are initialised as PyTorch does (uniform ±1/√fan_in), from a seeded RNG.
 */
export class Nb201Network extends NetworkBase {
  constructor(options: Nb201NetworkOptions) {
    super();
    // The initial values are freed by the tidy; the variables keep their own references.
    tf.tidy(() => {
      this.forward = this.build(options);
    });
  }

  private build(options: Nb201NetworkOptions): (x: tf.Tensor4D, training: boolean) => tf.Tensor2D {
    const { arch, macro } = options;
    const rng = createRng(options.seed);
    const conv = (name: string, inChannels: number, outChannels: number, kernel: number, stride: number): Conv => {
      const filter = tf.variable(
        seededUniform([kernel, kernel, inChannels, outChannels], 1 / Math.sqrt(inChannels * kernel * kernel), rng),
        true,
      );
      this.parameters.set(`${name}.weight`, filter);
      return { filter, stride };
    };
    const bn = (name: string, channels: number): BatchNorm => {
      const layer = new BatchNorm(channels);
      this.parameters.set(`${name}.gamma`, layer.gamma);
      this.parameters.set(`${name}.beta`, layer.beta);
      this.buffers.set(`${name}.runningMean`, layer.runningMean);
      this.buffers.set(`${name}.runningVariance`, layer.runningVariance);
      return layer;
    };

    const stemConv = conv('stem.conv', macro.inputChannels, macro.C, 3, 1);
    const stemBn = bn('stem.bn', macro.C);
    const blocks: ((x: tf.Tensor4D, training: boolean) => tf.Tensor4D)[] = [];
    let channels = macro.C;
    for (let stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        const out = channels * 2;
        const block = `reduction${stage}`;
        const convA = conv(`${block}.conv_a`, channels, out, 3, 2);
        const bnA = bn(`${block}.bn_a`, out);
        const convB = conv(`${block}.conv_b`, out, out, 3, 1);
        const bnB = bn(`${block}.bn_b`, out);
        const shortcut = conv(`${block}.shortcut.conv`, channels, out, 1, 1);
        blocks.push((x, training) => {
          const a = bnA.apply(applyConv(tf.relu(x), convA), training);
          const b = bnB.apply(applyConv(tf.relu(a), convB), training);
          return tf.add(b, applyConv(tf.avgPool(x, 2, 2, 'valid'), shortcut));
        });
        channels = out;
      }
      for (let cell = 0; cell < macro.N; cell++)
        blocks.push(this.buildCell(arch, `stage${stage}.cell${cell}`, channels, conv, bn));
    }
    const lastBn = bn('lastact.bn', channels);
    const weights = tf.variable(seededUniform([channels, macro.numClasses], 1 / Math.sqrt(channels), rng), true);
    const bias = tf.variable(seededUniform([macro.numClasses], 1 / Math.sqrt(channels), rng), true);
    this.parameters.set('classifier.weight', weights);
    this.parameters.set('classifier.bias', bias);

    return (x, training) => {
      let h = stemBn.apply(applyConv(x, stemConv), training);
      for (const block of blocks) h = block(h, training);
      const pooled = tf.mean(tf.relu(lastBn.apply(h, training)), [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, weights), bias);
    };
  }

  /**
   * One cell: node 0 is the input, node j sums op(node i) over its edges i → j, the output is node 3. `none` edges are
   * left out of the sums, and a node with only `none` inputs is zeros, which is the sum NAS-Bench-201 computes.
   * Nodes that do not reach the output are not computed (their parameters get no gradient, as in PyTorch).
   */
  private buildCell(
    arch: Nb201Arch,
    name: string,
    channels: number,
    conv: (name: string, inChannels: number, outChannels: number, kernel: number, stride: number) => Conv,
    bn: (name: string, channels: number) => BatchNorm,
  ): (x: tf.Tensor4D, training: boolean) => tf.Tensor4D {
    type EdgeApply = (input: { x: tf.Tensor4D; relu: () => tf.Tensor4D }, training: boolean) => tf.Tensor4D;
    const edges = NB201_EDGES.map(([to, from], edge) => {
      const op = arch[edge];
      const edgeName = `${name}.edge[${to}<-${from}]`;
      let apply: EdgeApply | undefined;
      if (op === 'nor_conv_1x1' || op === 'nor_conv_3x3') {
        const kernel = op === 'nor_conv_1x1' ? 1 : 3;
        const layer = conv(`${edgeName}.conv`, channels, channels, kernel, 1);
        const norm = bn(`${edgeName}.bn`, channels);
        apply = (input, training) => norm.apply(applyConv(input.relu(), layer), training);
      } else if (op === 'avg_pool_3x3') {
        // 'same' at stride 1 is pad 1; tfjs averages over the pixels inside the image, as count_include_pad=False does.
        apply = (input) => tf.avgPool(input.x, 3, 1, 'same');
      } else if (op === 'skip_connect') {
        apply = (input) => input.x;
      }
      return { to, from, apply };
    });
    return (x, training) => {
      // Porting note: NAS-Bench-201 gives every conv edge its own ReLU; the outputs are the same, so the ReLU of a
      // node is computed once and shared, which saves a full-size activation per extra edge.
      const nodes = new Map<number, { x: tf.Tensor4D; relu: () => tf.Tensor4D }>();
      const node = (index: number): { x: tf.Tensor4D; relu: () => tf.Tensor4D } => {
        const known = nodes.get(index);
        if (known !== undefined) return known;
        let value: tf.Tensor4D;
        if (index === 0) {
          value = x;
        } else {
          const terms = edges
            .filter((e) => e.to === index && e.apply !== undefined)
            .map((e) => e.apply!(node(e.from), training));
          value =
            terms.length === 0 ? tf.zerosLike(x) : terms.length === 1 ? terms[0] : (tf.addN(terms) as tf.Tensor4D);
        }
        let relu: tf.Tensor4D | undefined;
        const entry = { x: value, relu: () => (relu ??= tf.relu(value)) };
        nodes.set(index, entry);
        return entry;
      };
      return node(3).x;
    };
  }
}

function applyConv(x: tf.Tensor4D, layer: Conv): tf.Tensor4D {
  const kernel = layer.filter.shape[0]!;
  const pad = (kernel - 1) >> 1;
  // Explicit symmetric padding, as PyTorch pads: tfjs 'same' at stride 2 pads only the bottom/right of even inputs.
  return tf.conv2d(x, layer.filter as tf.Tensor4D, layer.stride, [
    [0, 0],
    [pad, pad],
    [pad, pad],
    [0, 0],
  ]);
}
