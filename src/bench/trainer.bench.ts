import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { nb201Cost, parseNb201, type Nb201Macro } from '../core';
import type { TorchChoice } from '../trainer/backend/choose-pytorch';
import {
  TrainingBackend,
  selectTrainingBackend,
  type TrainingBackendChoice,
  type TrainingBackendValue,
} from '../trainer/backend/select-training-backend';
import { timeTrainingSteps, trainingStepper } from '../trainer/backend/time-training-steps';
import { findTorchRuntime } from '../trainer/pytorch/find-torch';
import { measurePytorchBackend } from '../trainer/pytorch/measure-pytorch-backend';
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
  /** Time the same network in a bare PyTorch loop when a python3 imports torch (`NASHUB_PYTHON`, PATH, /usr/bin). */
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
   * a GPU each is a dispatch with its own fixed cost, so at these small sizes the count bounds the speed. Null for
   * the pytorch backend.
   */
  kernelsPerStep: number | null;
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
  /** The pytorch training backend's images/s ÷ wasm's (issue 19's CPU goal: ≥ 5 on a job). */
  pytorchBackendOverWasm: number | null;
  /** The pytorch training backend's images/s ÷ the bare PyTorch loop's (its overhead; issue 19's GPU goal: ≥ 0.8). */
  pytorchBackendOverPytorch: number | null;
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
    let choice: TrainingBackendChoice;
    try {
      choice = await selectTrainingBackend(backend);
    } catch (error) {
      unavailable[backend] = error instanceof Error ? error.message : String(error);
      continue;
    }
    const { device } = choice;
    if (choice.torch !== undefined) {
      try {
        backends.pytorch = await timePytorchBackend(choice.torch, arch, options);
      } catch (error) {
        unavailable.pytorch = error instanceof Error ? error.message : String(error);
      }
      continue;
    }
    const isCpu = backend === TrainingBackend.CPU;
    const batch = isCpu ? options.cpuBatch : options.batch;
    const steps = isCpu ? options.cpuSteps : options.steps;
    const msPerStep = await timeTrainingSteps({ arch, macro: MACRO, batch, steps, warmup: isCpu ? 1 : options.warmup });
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
  const backend = backends.pytorch?.imagesPerSecond;
  const best = Math.max(
    ...Object.entries(backends)
      .filter(([name]) => name !== TrainingBackend.PYTORCH)
      .map(([, b]) => b.imagesPerSecond),
  );
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
    bestOverPytorch: torch.result === null || !Number.isFinite(best) ? null : best / torch.result.imagesPerSecond,
    pytorchBackendOverWasm: backend !== undefined && wasm !== undefined ? backend / wasm : null,
    pytorchBackendOverPytorch:
      backend !== undefined && torch.result !== null ? backend / torch.result.imagesPerSecond : null,
  };
}

async function countKernels(arch: ReturnType<typeof parseNb201>): Promise<number> {
  const { step, dispose } = trainingStepper({ arch, macro: MACRO, batch: 2 });
  try {
    return (await tf.profile(step)).kernels.length;
  } finally {
    dispose();
  }
}

/**
 * The pytorch training backend on the bench's network: as jobs train (one `train_epoch` request per measurement, batch
 * assembly with crop and flip in the Python process), on CUDA when there is one, with as many steps as the bare loop.
 */
function timePytorchBackend(
  torch: TorchChoice,
  arch: ReturnType<typeof parseNb201>,
  options: TrainerBenchOptions,
): Promise<BackendTiming> {
  return measurePytorchBackend({
    runtime: torch.runtime,
    threads: torch.threads,
    device: torch.device,
    arch,
    macro: MACRO,
    batch: options.batch,
    steps: Math.max(options.steps, 10),
    warmup: Math.max(options.warmup, 3),
  }).then(({ device, batch, steps, msPerStep, imagesPerSecond }) => ({
    device,
    batch,
    steps,
    msPerStep,
    imagesPerSecond,
    kernelsPerStep: null,
  }));
}

function runPytorch(options: TrainerBenchOptions): { result: TrainerBenchResult['pytorch']; reason?: string } {
  let python: string;
  try {
    python = findTorchRuntime().python;
  } catch (error) {
    return { result: null, reason: error instanceof Error ? error.message : String(error) };
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
  const run = spawnSync(python, ['-', ...args.map(String)], {
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
