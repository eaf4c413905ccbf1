import * as tf from '@tensorflow/tfjs';
import { FusedKernel, fusedKernelsActive } from '../webgpu/fused-kernels';

/** PyTorch's BatchNorm2d defaults, which NAS-Bench-201 trained with. */
const EPSILON = 1e-5;
const MOMENTUM = 0.1;

/**
 * Batch normalisation over N, H, W of an NHWC tensor, with learnable scale and shift (the two parameters per channel
 * that core's `countNetwork` counts) and running statistics (not parameters, but part of the checkpoint).
 * Training mode normalises with the batch's statistics and moves the running ones (PyTorch: momentum 0.1, unbiased
 * running variance); eval mode uses the running ones.
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVariance: tf.Variable;

  constructor(channels: number) {
    this.gamma = tf.variable(tf.ones([channels]), true);
    this.beta = tf.variable(tf.zeros([channels]), true);
    this.runningMean = tf.variable(tf.zeros([channels]), false);
    this.runningVariance = tf.variable(tf.ones([channels]), false);
  }

  /** Normalises `x`; in training mode also updates the running statistics (a side effect on this layer's variables). */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) {
      const [mean, variance, shift, scale] = [
        this.runningMean,
        this.runningVariance,
        this.beta,
        this.gamma,
      ] as tf.Tensor1D[];
      return tf.batchNorm4d(x, mean, variance, shift, scale, EPSILON);
    }
    if (fusedKernelsActive()) return fusedTrainingNorm(this, x);
    let batchMean: tf.Tensor1D | undefined;
    let batchVariance: tf.Tensor1D | undefined;
    // Porting note: tfjs differentiates batchNorm through tf.moments and a tiled FusedBatchNorm gradient, a dozen
    // full-size ops; the closed form below needs four: dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)).
    const forward = (input: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, save: tf.GradSaveFunc) => {
      const count = input.size / input.shape[3]!;
      const mean = tf.div(channelSum(input), count);
      const centred = tf.sub(input, mean);
      const variance = tf.div(channelSum(tf.square(centred)), count);
      const rstd = tf.rsqrt(tf.add(variance, EPSILON));
      const normalised = tf.mul(centred, rstd);
      // customGrad runs this inside a tidy: keep the moments for the running statistics, freed below.
      batchMean = tf.keep(mean as tf.Tensor1D);
      batchVariance = tf.keep(variance as tf.Tensor1D);
      // Saves the input (alive anyway: it is the conv's output) rather than x̂, one full-size tensor less per layer;
      // the backward pass recomputes x̂.
      save([input, mean, rstd, scale]);
      return {
        value: tf.add(tf.mul(normalised, scale), shift),
        // The tidy frees the backward's full-size intermediates now; tfjs would keep them until all gradients are done.
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.tidy(() => {
            const [x, m, r, gamma] = saved;
            const xHat = tf.mul(tf.sub(x, m), r);
            const dShift = channelSum(dy);
            const dScale = channelSum(tf.mul(dy, xHat));
            const dInput = tf.mul(
              tf.mul(gamma, r),
              tf.sub(tf.sub(dy, tf.div(dShift, count)), tf.mul(xHat, tf.div(dScale, count))),
            );
            return [dInput, dScale, dShift];
          }),
      };
    };
    const normalise = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
    const y = normalise(x, this.gamma, this.beta) as tf.Tensor4D;
    const count = x.size / x.shape[3];
    const unbiased = tf.mul(batchVariance!, count / Math.max(1, count - 1));
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - MOMENTUM), tf.mul(batchMean!, MOMENTUM)));
    this.runningVariance.assign(tf.add(tf.mul(this.runningVariance, 1 - MOMENTUM), tf.mul(unbiased, MOMENTUM)));
    tf.dispose([batchMean!, batchVariance!]);
    return y;
  }
}

/** Training mode in fused webgpu kernels (webgpu/fused-kernels): the same closed forms; 4 kernels forward, 3 back. */
function fusedTrainingNorm(layer: BatchNorm, x: tf.Tensor4D): tf.Tensor4D {
  const engine = tf.engine();
  let moments: tf.Tensor2D | undefined;
  const forward = (input: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, save: tf.GradSaveFunc) => {
    const batchMoments = engine.runKernel(FusedKernel.BN_MOMENTS, { x: input }, {}) as tf.Tensor2D;
    moments = tf.keep(batchMoments);
    save([input, batchMoments, scale]);
    return {
      value: engine.runKernel(
        FusedKernel.BN_NORMALISE,
        { x: input, moments: batchMoments, gamma: scale, beta: shift },
        { epsilon: EPSILON },
      ) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [savedX, savedMoments, gamma] = saved;
          const sums = engine.runKernel(
            FusedKernel.BN_GRAD_SUMS,
            { dy, x: savedX, moments: savedMoments },
            { epsilon: EPSILON },
          ) as tf.Tensor2D;
          const dInput = engine.runKernel(
            FusedKernel.BN_INPUT_GRAD,
            { dy, x: savedX, moments: savedMoments, gamma, sums },
            { epsilon: EPSILON },
          ) as tf.Tensor;
          const [dShift, dScale] = tf.unstack(sums);
          return [dInput, dScale, dShift];
        }),
    };
  };
  const normalise = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = normalise(x, layer.gamma, layer.beta) as tf.Tensor4D;
  const count = x.size / x.shape[3];
  const running = (variable: tf.Variable, row: number, scale: number) =>
    variable.assign(
      engine.runKernel(
        FusedKernel.BN_RUNNING,
        { running: variable, moments: moments! },
        { row, momentum: MOMENTUM, scale },
      ) as tf.Tensor,
    );
  running(layer.runningMean, 0, 1);
  running(layer.runningVariance, 1, count / Math.max(1, count - 1));
  moments!.dispose();
  return y;
}

/**
 * Sum over N, H and W of an NHWC tensor, per channel. tfjs transposes to reduce these axes; a [1, N·H·W] ×
 * [N·H·W, C] matrix product instead measured 1.7× slower on wasm (fmnist-c16n5, batch 64): XNNPACK packs the large
 * operand on every call.
 */
function channelSum(x: tf.Tensor): tf.Tensor1D {
  return tf.sum(x, [0, 1, 2]);
}
