import * as tf from '@tensorflow/tfjs';

/**
 * Fused WGSL kernels for the trainer's two op-heavy parts on the webgpu backend, where every tfjs op is a GPU dispatch
 * with a fixed cost (and every scalar like `0.9` a buffer upload): the SGD update (8 ops and 4 scalars per parameter
 * → 2 dispatches) and training-mode batch norm (about 30 ops per layer forward and backward → 7). The fmnist-c16n5
 * step drops from 6,904 tfjs kernels to 2,350 (626 of them Identity, which costs no dispatch on webgpu), measured by
 * `nashub bench trainer`'s `kernelsPerStep`. They compute what `SgdOptimizer` and `BatchNorm` compute with
 * tfjs ops on the other backends; test/webgpu-backend.test.ts checks a training step against the cpu backend's.
 */
export const FusedKernel = {
  SGD_SLOT: 'NashubSgdSlot',
  SGD_WEIGHTS: 'NashubSgdWeights',
  BN_MOMENTS: 'NashubBatchNormMoments',
  BN_NORMALISE: 'NashubBatchNormNormalise',
  BN_RUNNING: 'NashubBatchNormRunning',
  BN_GRAD_SUMS: 'NashubBatchNormGradSums',
  BN_INPUT_GRAD: 'NashubBatchNormInputGrad',
} as const;

/** True when the fused kernels can run: the webgpu backend is active and they are registered for it. */
export function fusedKernelsActive(): boolean {
  return tf.getBackend() === 'webgpu' && tf.getKernel(FusedKernel.SGD_SLOT, 'webgpu') !== undefined;
}

/** The part of tfjs-backend-webgpu's WebGPUProgram these kernels fill in (its own type lives in an optional package). */
interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size?: boolean;
  uniforms?: string;
  getUserCode(): string;
}

interface WebgpuBackend {
  runWebGPUProgram(
    program: Program,
    inputs: tf.TensorInfo[],
    outputDtype: 'float32',
    uniforms?: { type: 'float32' | 'int32'; data: number[] }[],
  ): tf.TensorInfo;
}

const ELEMENTWISE_WORKGROUP = 128;
/** Threads per channel of the reductions: one workgroup sums one channel over N·H·W. */
const REDUCE_WORKGROUP = 256;

/** λ·w, and exactly nothing without decay (as the composed path adds no term), so a non-finite w stays out of it. */
const DECAY = `
      fn decay(weight : f32) -> f32 {
        if (uniforms.weightDecay == 0.0) {
          return 0.0;
        }
        return uniforms.weightDecay * weight;
      }`;

function elementwise(
  name: string,
  variableNames: string[],
  outputShape: number[],
  uniforms: string,
  body: string,
  helpers = '',
): Program {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape,
    shaderKey: name,
    dispatchLayout: { x: outputShape.map((_, axis) => axis) },
    dispatch: [Math.ceil(size / ELEMENTWISE_WORKGROUP), 1, 1],
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
    size: true,
    uniforms,
    getUserCode: () => `${helpers}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/**
 * One workgroup per channel of an NHWC input `x` (C workgroups); the body calls `channelSum(value)`, which every
 * thread of the workgroup must reach, to add a per-thread partial sum over the workgroup.
 */
function perChannel(name: string, variableNames: string[], channels: number, uniforms: string, body: string): Program {
  return {
    variableNames,
    outputShape: [2, channels],
    shaderKey: name,
    dispatchLayout: { x: [0, 1] },
    dispatch: [channels, 1, 1],
    workgroupSize: [REDUCE_WORKGROUP, 1, 1],
    uniforms,
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${REDUCE_WORKGROUP}>;

      fn channelSum(value : f32) -> f32 {
        partial[localId.x] = value;
        workgroupBarrier();
        for (var stride = ${REDUCE_WORKGROUP / 2}u; stride > 0u; stride = stride / 2u) {
          if (localId.x < stride) {
            partial[localId.x] = partial[localId.x] + partial[localId.x + stride];
          }
          workgroupBarrier();
        }
        let total = partial[0];
        workgroupBarrier();
        return total;
      }

      fn main(index : i32) {
        let channel = i32(workgroupId.x);
        let channels = uniforms.xShape.w;
        let count = uniforms.xShape.x * uniforms.xShape.y * uniforms.xShape.z;
        ${body}
      }`,
  };
}

/** x̂ of element `i` of x, from the moments [mean; variance] and `uniforms.epsilon`. */
const NORMALISED = `
        let channel = index % uniforms.xShape.w;
        let mean = moments[channel];
        let rstd = inverseSqrt(moments[uniforms.xShape.w + channel] + uniforms.epsilon);
        let normalised = (x[index] - mean) * rstd;`;

type KernelArgs = Parameters<tf.KernelFunc>[0];

function run(
  args: KernelArgs,
  program: Program,
  inputs: tf.TensorInfo[],
  uniforms: { type: 'float32' | 'int32'; data: number[] }[] = [],
): tf.TensorInfo {
  return (args.backend as unknown as WebgpuBackend).runWebGPUProgram(program, inputs, 'float32', uniforms);
}

function f32(value: number): { type: 'float32'; data: number[] } {
  return { type: 'float32', data: [value] };
}

const KERNELS: Record<(typeof FusedKernel)[keyof typeof FusedKernel], tf.KernelFunc> = {
  // slot' = μ·slot + (∇ + λ·w)
  [FusedKernel.SGD_SLOT]: (args) => {
    const { grad, weight, slot } = args.inputs as Record<string, tf.TensorInfo>;
    const { momentum, weightDecay } = args.attrs as { momentum: number; weightDecay: number };
    const program = elementwise(
      FusedKernel.SGD_SLOT,
      ['grad', 'weight', 'slot'],
      weight.shape,
      'momentum : f32, weightDecay : f32,',
      `
          setOutputAtIndex(index, uniforms.momentum * slot[index] + grad[index] + decay(weight[index]));`,
      DECAY,
    );
    return run(args, program, [grad, weight, slot], [f32(momentum), f32(weightDecay)]);
  },
  // w' = w − lr·d, d = nesterov ? (∇ + λ·w) + μ·slot' : slot'
  [FusedKernel.SGD_WEIGHTS]: (args) => {
    const { grad, weight, slot } = args.inputs as Record<string, tf.TensorInfo>;
    const { learningRate, momentum, weightDecay, nesterov } = args.attrs as {
      learningRate: number;
      momentum: number;
      weightDecay: number;
      nesterov: boolean;
    };
    const program = elementwise(
      FusedKernel.SGD_WEIGHTS,
      ['grad', 'weight', 'slot'],
      weight.shape,
      'learningRate : f32, momentum : f32, weightDecay : f32, nesterov : f32,',
      `
          var direction = slot[index];
          if (uniforms.nesterov > 0.5) {
            direction = grad[index] + decay(weight[index]) + uniforms.momentum * slot[index];
          }
          setOutputAtIndex(index, weight[index] - uniforms.learningRate * direction);`,
      DECAY,
    );
    return run(
      args,
      program,
      [grad, weight, slot],
      [f32(learningRate), f32(momentum), f32(weightDecay), f32(nesterov ? 1 : 0)],
    );
  },
  // [mean; biased variance] per channel, in one pass over data shifted by the channel's first value (the shifted-data
  // algorithm: as exact as two passes when the mean is far from 0, without reading x twice)
  [FusedKernel.BN_MOMENTS]: (args) => {
    const { x } = args.inputs as Record<string, tf.TensorInfo>;
    const program = perChannel(
      FusedKernel.BN_MOMENTS,
      ['x'],
      x.shape[3],
      '',
      `
        let shift = x[channel];
        var sum = 0.0;
        var squares = 0.0;
        for (var i = i32(localId.x); i < count; i = i + ${REDUCE_WORKGROUP}) {
          let shifted = x[i * channels + channel] - shift;
          sum = sum + shifted;
          squares = squares + shifted * shifted;
        }
        let shiftedMean = channelSum(sum) / f32(count);
        let variance = max(channelSum(squares) / f32(count) - shiftedMean * shiftedMean, 0.0);
        if (localId.x == 0u) {
          setOutputAtIndex(channel, shift + shiftedMean);
          setOutputAtIndex(channels + channel, variance);
        }`,
    );
    return run(args, program, [x]);
  },
  // y = x̂·γ + β
  [FusedKernel.BN_NORMALISE]: (args) => {
    const { x, moments, gamma, beta } = args.inputs as Record<string, tf.TensorInfo>;
    const { epsilon } = args.attrs as { epsilon: number };
    const program = elementwise(
      FusedKernel.BN_NORMALISE,
      ['x', 'moments', 'gamma', 'beta'],
      x.shape,
      'epsilon : f32,',
      `${NORMALISED}
          setOutputAtIndex(index, normalised * gamma[channel] + beta[channel]);`,
    );
    return run(args, program, [x, moments, gamma, beta], [f32(epsilon)]);
  },
  // running' = (1 − m)·running + m·scale·moments[row]
  [FusedKernel.BN_RUNNING]: (args) => {
    const { running, moments } = args.inputs as Record<string, tf.TensorInfo>;
    const { row, momentum, scale } = args.attrs as { row: number; momentum: number; scale: number };
    const program = elementwise(
      FusedKernel.BN_RUNNING,
      ['running', 'moments'],
      running.shape,
      'row : i32, momentum : f32, scale : f32,',
      `
          let batch = moments[uniforms.row * uniforms.outShape + index];
          setOutputAtIndex(index, (1.0 - uniforms.momentum) * running[index] + uniforms.momentum * uniforms.scale * batch);`,
    );
    return run(args, program, [running, moments], [{ type: 'int32', data: [row] }, f32(momentum), f32(scale)]);
  },
  // [Σ dy; Σ dy·x̂] per channel
  [FusedKernel.BN_GRAD_SUMS]: (args) => {
    const { dy, x, moments } = args.inputs as Record<string, tf.TensorInfo>;
    const { epsilon } = args.attrs as { epsilon: number };
    const program = perChannel(
      FusedKernel.BN_GRAD_SUMS,
      ['dy', 'x', 'moments'],
      x.shape[3],
      'epsilon : f32,',
      `
        let mean = moments[channel];
        let rstd = inverseSqrt(moments[channels + channel] + uniforms.epsilon);
        var shiftSum = 0.0;
        var scaleSum = 0.0;
        for (var i = i32(localId.x); i < count; i = i + ${REDUCE_WORKGROUP}) {
          let at = i * channels + channel;
          shiftSum = shiftSum + dy[at];
          scaleSum = scaleSum + dy[at] * (x[at] - mean) * rstd;
        }
        let dShift = channelSum(shiftSum);
        let dScale = channelSum(scaleSum);
        if (localId.x == 0u) {
          setOutputAtIndex(channel, dShift);
          setOutputAtIndex(channels + channel, dScale);
        }`,
    );
    return run(args, program, [dy, x, moments], [f32(epsilon)]);
  },
  // dx = γ·rstd·(dy − Σdy/n − x̂·Σ(dy·x̂)/n)
  [FusedKernel.BN_INPUT_GRAD]: (args) => {
    const { dy, x, moments, gamma, sums } = args.inputs as Record<string, tf.TensorInfo>;
    const { epsilon } = args.attrs as { epsilon: number };
    const program = elementwise(
      FusedKernel.BN_INPUT_GRAD,
      ['dy', 'x', 'moments', 'gamma', 'sums'],
      x.shape,
      'epsilon : f32,',
      `${NORMALISED}
          let count = f32(uniforms.size / uniforms.xShape.w);
          let dShift = sums[channel];
          let dScale = sums[uniforms.xShape.w + channel];
          setOutputAtIndex(index, gamma[channel] * rstd * (dy[index] - dShift / count - normalised * dScale / count));`,
    );
    return run(args, program, [dy, x, moments, gamma, sums], [f32(epsilon)]);
  },
};

/** Registers the fused kernels for the webgpu backend (once per process; tfjs kernels are process-global). */
export function registerFusedWebgpuKernels(): void {
  for (const [kernelName, kernelFunc] of Object.entries(KERNELS)) {
    if (tf.getKernel(kernelName, 'webgpu') === undefined)
      tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
  }
}
