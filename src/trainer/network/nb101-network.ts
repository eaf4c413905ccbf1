import * as tf from '@tensorflow/tfjs';
import {
  createRng,
  describeNb101Network,
  invariant,
  nb101VertexChannels,
  type Nb101Arch,
  type Nb101Macro,
  type Rng,
} from '../../core';
import { BatchNorm } from './batch-norm';
import { seededUniform } from './seeded-uniform';
import { NetworkBase } from './trainable-network';

/** Options of {@link Nb101Network}. */
export interface Nb101NetworkOptions {
  /** The cell, pruned (as core's `parseNb101` returns it). */
  arch: Nb101Arch;
  /** Stem channels, stacks, cells per stack, classes and input shape. */
  macro: Nb101Macro;
  /** Seed of the weight initialisation. */
  seed: number;
}

/** A layer of the forward pass: NHWC in, NHWC out. */
type Block = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

/** Makes a conv (stride 1, `same`, no bias) → BN → ReLU named `${name}.conv` / `${name}.bn`, registering its variables. */
type ConvBnRelu = (name: string, inChannels: number, outChannels: number, kernel: number) => Block;

/**
 * The NAS-Bench-101 network of a cell in tfjs (NHWC), NAS-Bench-101's `model_builder.build_model_fn`, built in the
 * order and with the names of core's `describeNb101Network`, so that its trainable parameters are exactly core's
 * `cost(arch).params`: stem conv3x3 + BN + ReLU; `stacks` stacks of `cellsPerStack` cells, a 2 × 2 max-pool (stride
 * 2, `same`) and doubled channels before every stack but the first; global average pool → linear.
 *
 * Porting note: NAS-Bench-101 initialised convs with TF's `variance_scaling_initializer` and the classifier with
 * Glorot-uniform and a zero bias, and its batch norms used TF momentum 0.997 (running ← 0.997·running + 0.003·batch).
 * Here every space is initialised as Nb201Network is (PyTorch's uniform ±1/√fan_in, from a seeded RNG) and uses the
 * same {@link BatchNorm} (PyTorch momentum 0.1, ε 1e-5 as in NAS-Bench-101): the trainer's protocols, not the
 * benchmark's RMSProp schedule, fix how every space trains, with the same SGD for both.
 */
export class Nb101Network extends NetworkBase {
  constructor(options: Nb101NetworkOptions) {
    super();
    // Core's layer list refuses a macro the cell cannot be split over (too few channels for its output's inputs)
    // before any variable exists: variables outlive tf.tidy, so a throw halfway through would leak them.
    describeNb101Network(options.arch, options.macro);
    // The initial values are freed by the tidy; the variables keep their own references.
    tf.tidy(() => {
      this.forward = this.build(options);
    });
  }

  private build(options: Nb101NetworkOptions): (x: tf.Tensor4D, training: boolean) => tf.Tensor2D {
    const { arch, macro } = options;
    const rng = createRng(options.seed);
    const convBnRelu: ConvBnRelu = (name, inChannels, outChannels, kernel) => {
      const filter = this.variable(
        `${name}.conv.weight`,
        [kernel, kernel, inChannels, outChannels],
        1 / Math.sqrt(inChannels * kernel * kernel),
        rng,
      );
      const norm = new BatchNorm(outChannels);
      this.parameters.set(`${name}.bn.gamma`, norm.gamma);
      this.parameters.set(`${name}.bn.beta`, norm.beta);
      this.buffers.set(`${name}.bn.runningMean`, norm.runningMean);
      this.buffers.set(`${name}.bn.runningVariance`, norm.runningVariance);
      return (x, training) => tf.relu(norm.apply(tf.conv2d(x, filter as tf.Tensor4D, 1, 'same'), training));
    };

    const stem = convBnRelu('stem', macro.inputChannels, macro.stemChannels, 3);
    const blocks: Block[] = [];
    let channels = macro.stemChannels;
    for (let stack = 0; stack < macro.stacks; stack++) {
      let outChannels = channels;
      if (stack > 0) {
        // TF `same` pooling pads an odd size at the bottom and right, as tfjs does: 7 × 7 → 4 × 4.
        blocks.push((x) => tf.maxPool(x, 2, 2, 'same'));
        outChannels = channels * 2;
      }
      for (let cell = 0; cell < macro.cellsPerStack; cell++) {
        blocks.push(
          buildCell({ arch, name: `stack${stack}.cell${cell}`, inChannels: channels, outChannels, convBnRelu }),
        );
        channels = outChannels;
      }
    }
    const bound = 1 / Math.sqrt(channels);
    const weights = this.variable('classifier.weight', [channels, macro.numClasses], bound, rng);
    const bias = this.variable('classifier.bias', [macro.numClasses], bound, rng);

    return (x, training) => {
      let h = stem(x, training);
      for (const block of blocks) h = block(h, training);
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, weights), bias);
    };
  }

  private variable(name: string, shape: number[], bound: number, rng: Rng): tf.Variable {
    const variable = tf.variable(seededUniform(shape, bound, rng), true);
    this.parameters.set(name, variable);
    return variable;
  }
}

/** Options of {@link buildCell}. */
interface BuildCellOptions {
  arch: Nb101Arch;
  /** Layer-name prefix, e.g. `stack1.cell0`. */
  name: string;
  inChannels: number;
  outChannels: number;
  convBnRelu: ConvBnRelu;
}

/**
 * One cell, NAS-Bench-101's `model_builder.build_module`: interior vertex t adds its interior predecessors, truncated
 * to its channels, and the 1 × 1 projection of the cell input when input → t, then applies its op; the output
 * concatenates the interior vertices that feed it (in vertex order) and adds the projection of the input when
 * input → output, which is the whole output when no interior vertex feeds it.
 */
function buildCell(options: BuildCellOptions): Block {
  const { arch, name, inChannels, outChannels, convBnRelu } = options;
  const { matrix, ops } = arch;
  const n = matrix.length;
  const channels = nb101VertexChannels(inChannels, outChannels, matrix);
  const projections: (Block | undefined)[] = [];
  const vertexOps: (Block | undefined)[] = [];
  for (let t = 1; t < n - 1; t++) {
    if (matrix[0][t]) projections[t] = convBnRelu(`${name}.vertex${t}.projection`, inChannels, channels[t], 1);
    const op = ops[t];
    if (op === 'conv3x3-bn-relu') vertexOps[t] = convBnRelu(`${name}.vertex${t}`, channels[t], channels[t], 3);
    else if (op === 'conv1x1-bn-relu') vertexOps[t] = convBnRelu(`${name}.vertex${t}`, channels[t], channels[t], 1);
    else if (op === 'maxpool3x3') vertexOps[t] = (x) => tf.maxPool(x, 3, 1, 'same');
    invariant(vertexOps[t] !== undefined, `nb101 interior vertex ${t} has op ${op}`);
  }
  const outputProjection = matrix[0][n - 1]
    ? convBnRelu(`${name}.output.projection`, inChannels, outChannels, 1)
    : undefined;

  return (x, training) => {
    const values: tf.Tensor4D[] = [x];
    const concatenated: tf.Tensor4D[] = [];
    for (let t = 1; t < n - 1; t++) {
      // NAS-Bench-101's order: interior predecessors first, then the input's projection.
      const terms: tf.Tensor4D[] = [];
      for (let from = 1; from < t; from++) if (matrix[from][t]) terms.push(truncate(values[from], channels[t]));
      if (matrix[0][t]) terms.push(projections[t]!(x, training));
      invariant(terms.length > 0, `pruned nb101 vertex ${t} has no input`);
      const input = terms.length === 1 ? terms[0] : (tf.addN(terms) as tf.Tensor4D);
      values[t] = vertexOps[t]!(input, training);
      if (matrix[t][n - 1]) concatenated.push(values[t]);
    }
    if (concatenated.length === 0) {
      invariant(
        outputProjection !== undefined,
        'an nb101 cell without interior vertices feeding the output connects input → output',
      );
      return outputProjection(x, training);
    }
    const output = concatenated.length === 1 ? concatenated[0] : tf.concat(concatenated, 3);
    return outputProjection === undefined ? output : tf.add(output, outputProjection(x, training));
  };
}

/**
 * The first `channels` channels of a vertex's output (NAS-Bench-101's `truncate`): a predecessor has at most one
 * channel more than its successor, when the output's channels do not split evenly.
 */
function truncate(x: tf.Tensor4D, channels: number): tf.Tensor4D {
  const have = x.shape[3];
  invariant(have >= channels, `nb101 truncation from ${have} to ${channels} channels`);
  return have === channels ? x : tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, channels]);
}
