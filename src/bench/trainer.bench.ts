import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { createRng, nb201Cost, parseNb201, type Nb201Macro } from '../core';
import {
  TrainingBackend,
  selectTrainingBackend,
  type TrainingBackendValue,
} from '../trainer/backend/select-training-backend';
import { Nb201Network } from '../trainer/network/nb201-network';
import { SgdOptimizer } from '../trainer/optimizer/sgd-optimizer';
import { trainStep } from '../trainer/session/train-step';
import { TRAINER_TORCH_SCRIPT } from './trainer-torch-script';

/** Options of {@link runTrainerBench}. */
export interface TrainerBenchOptions {
  /** NB201 cell of the measured network. */
  arch: string;
  /** Images per step on every backend but cpu. */
  batch: number;
  /** Measured steps per backend (after `warmup`). */
  steps: number;
  /** Unmeasured steps first: kernel setup, shader compilation, allocator growth. */
  warmup: number;
  /** Images per step on the pure-JS cpu backend, which is too slow for `batch` (images/s barely depends on it). */
  cpuBatch: number;
  /** Measured steps on cpu. */
  cpuSteps: number;
  /** The tfjs backends to measure (all of {@link TrainingBackend} by default). */
  backends?: readonly TrainingBackendValue[];
  /** Time the same network in PyTorch when `python3 -c 'import torch'` works. */
  pytorch: boolean;
}

/** One backend's measurement. */
export interface BackendTiming {
  device: string;
  batch: number;
  steps: number;
  msPerStep: number;
  imagesPerSecond: number;
  /**
   * Kernels tfjs runs for one training step (forward, backward, update), counted by `tf.profile` on a batch of 2: on
   * a GPU each is a dispatch with its own fixed cost, so at these small sizes the count bounds the speed.
   */
  kernelsPerStep: number;
}

/** `bench trainer`'s JSON. */
export interface TrainerBenchResult {
  network: string;
  arch: string;
  params: number;
  input: [number, number, number];
  /** Images/s of one training step (forward, backward, SGD update) per backend that loaded. */
  backends: Partial<Record<TrainingBackendValue, BackendTiming>>;
  /** Why a backend was not measured. */
  unavailable: Partial<Record<TrainingBackendValue, string>>;
  /** wasm images/s ÷ cpu images/s (the issue's goal: ≥ 5). */
  wasmOverCpu: number | null;
  /** The same network in PyTorch on the same machine, or null with the reason. */
  pytorch: (BackendTiming & { torch: string; params: number }) | null;
  pytorchReason?: string;
  /** Best tfjs backend's images/s ÷ PyTorch's. */
  bestOverPytorch: number | null;
}

/** Fashion-MNIST with the fmnist-c16n5 protocol's network (NAS-Bench-201's C=16, N=5). */
const MACRO: Nb201Macro = { C: 16, N: 5, numClasses: 10, inputChannels: 1, inputSize: 28 };

/**
 * Images per second of a training step of the fmnist-c16n5 network on every tfjs backend that loads here (tensorflow,
 * webgpu, wasm, cpu), measured one after the other in this process, warm-up excluded; PyTorch in a child process.
 */
export async function runTrainerBench(options: TrainerBenchOptions): Promise<TrainerBenchResult> {
  const arch = parseNb201(options.arch);
  const backends: TrainerBenchResult['backends'] = {};
  const unavailable: TrainerBenchResult['unavailable'] = {};
  for (const backend of options.backends ?? Object.values(TrainingBackend)) {
    let device: string;
    try {
      ({ device } = await selectTrainingBackend(backend));
    } catch (error) {
      unavailable[backend] = error instanceof Error ? error.message : String(error);
      continue;
    }
    const isCpu = backend === TrainingBackend.CPU;
    const batch = isCpu ? options.cpuBatch : options.batch;
    const steps = isCpu ? options.cpuSteps : options.steps;
    const msPerStep = await timeSteps({ arch, batch, steps, warmup: isCpu ? 1 : options.warmup });
    const kernelsPerStep = await countKernels(arch);
    backends[backend] = {
      device,
      batch,
      steps,
      msPerStep,
      imagesPerSecond: (1000 * batch) / msPerStep,
      kernelsPerStep,
    };
  }
  const wasm = backends.wasm?.imagesPerSecond;
  const cpu = backends.cpu?.imagesPerSecond;
  const best = Math.max(...Object.values(backends).map((b) => b.imagesPerSecond));
  const torch = options.pytorch ? runPytorch(options) : { result: null, reason: 'skipped (--no-pytorch)' };
  return {
    network: 'nb201 fmnist-c16n5 (C=16, N=5, 1×28×28, 10 classes)',
    arch: options.arch,
    params: Math.round(nb201Cost(arch, MACRO).paramsM * 1e6),
    input: [MACRO.inputSize, MACRO.inputSize, MACRO.inputChannels],
    backends,
    unavailable,
    wasmOverCpu: wasm !== undefined && cpu !== undefined ? wasm / cpu : null,
    pytorch: torch.result,
    ...(torch.reason === undefined ? {} : { pytorchReason: torch.reason }),
    bestOverPytorch: torch.result === null ? null : best / torch.result.imagesPerSecond,
  };
}

/** A network, its optimiser and a random batch, and one training step on them; `dispose` frees all. */
function stepper(
  arch: ReturnType<typeof parseNb201>,
  batch: number,
): { step: () => Promise<void>; dispose: () => void } {
  const network = new Nb201Network({ arch, macro: MACRO, seed: 0 });
  const optimizer = new SgdOptimizer({
    parameters: network.parameters,
    momentum: 0.9,
    nesterov: true,
    weightDecay: 5e-4,
  });
  const rng = createRng(1);
  const shape: [number, number, number, number] = [batch, MACRO.inputSize, MACRO.inputSize, MACRO.inputChannels];
  const x = tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1),
    shape,
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: batch }, () => rng.int(10)),
    'int32',
  );
  return {
    step: async () => {
      const totals = trainStep({ network, optimizer, x, labels, classes: MACRO.numClasses, learningRate: 0.01 });
      await totals.data();
      totals.dispose();
    },
    dispose: () => {
      tf.dispose([x, labels]);
      optimizer.dispose();
      network.dispose();
    },
  };
}

async function timeSteps(options: {
  arch: ReturnType<typeof parseNb201>;
  batch: number;
  steps: number;
  warmup: number;
}): Promise<number> {
  const { step, dispose } = stepper(options.arch, options.batch);
  try {
    for (let i = 0; i < options.warmup; i++) await step();
    const start = performance.now();
    for (let i = 0; i < options.steps; i++) await step();
    return (performance.now() - start) / options.steps;
  } finally {
    dispose();
  }
}

async function countKernels(arch: ReturnType<typeof parseNb201>): Promise<number> {
  const { step, dispose } = stepper(arch, 2);
  try {
    return (await tf.profile(step)).kernels.length;
  } finally {
    dispose();
  }
}

function runPytorch(options: TrainerBenchOptions): { result: TrainerBenchResult['pytorch']; reason?: string } {
  const probe = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`;
    return { result: null, reason: `python3 -c 'import torch' failed: ${why}` };
  }
  const args = [
    options.arch,
    MACRO.C,
    MACRO.N,
    MACRO.inputChannels,
    MACRO.inputSize,
    options.batch,
    Math.max(options.steps, 10),
    Math.max(options.warmup, 3),
  ];
  const run = spawnSync('python3', ['-', ...args.map(String)], {
    input: TRAINER_TORCH_SCRIPT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0)
    return {
      result: null,
      reason: `the PyTorch script failed: ${run.stderr.trim().split('\n').pop() ?? `exit ${run.status}`}`,
    };
  return { result: JSON.parse(run.stdout.trim().split('\n').pop()!) as NonNullable<TrainerBenchResult['pytorch']> };
}
