import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng, nb201Space, type Nb201Arch, type Nb201Macro } from '../../core';
import { planEpoch } from './epoch-plan';
import type { TorchRuntime } from './find-torch';
import { initialWeights } from './initial-weights';
import { writeTensorFile } from './tensor-file';
import { describeTorchNetwork } from './torch-network-spec';
import { TorchProcess, describeTorchDevice } from './torch-process';

/** Options of {@link measurePytorchBackend}. */
export interface MeasurePytorchBackendOptions {
  runtime: TorchRuntime;
  threads: number;
  device: 'auto' | 'cuda' | 'cpu';
  arch: Nb201Arch;
  macro: Nb201Macro;
  /** Images per step. */
  batch: number;
  /** Measured steps. */
  steps: number;
  /** Unmeasured steps first (allocator growth, CUDA kernel selection). */
  warmup: number;
}

/** What {@link measurePytorchBackend} measured. */
export interface PytorchBackendTiming {
  /** `gpu (name; torch v)` or `cpu (1 thread; torch v)`, `cpu (N threads; torch v)`. */
  device: string;
  torch: string;
  batch: number;
  steps: number;
  msPerStep: number;
  imagesPerSecond: number;
}

/**
 * Images/s of the PyTorch backend as a job trains: one `train_epoch` request of `steps` batches of random images
 * (with the crop-and-flip plan the job path sends, pad 2), timed on this side around the request, so the protocol,
 * the plan files and the batch assembly count, not only PyTorch's step. BACKEND_UNAVAILABLE when the process fails.
 */
export async function measurePytorchBackend(options: MeasurePytorchBackendOptions): Promise<PytorchBackendTiming> {
  const { macro, batch } = options;
  const dir = mkdtempSync(join(tmpdir(), 'nashub-torch-measure-'));
  const { process: torch, hello } = await TorchProcess.start(options);
  try {
    const count = batch * Math.max(options.steps, options.warmup);
    const rng = createRng(1);
    const image = macro.inputSize * macro.inputSize * macro.inputChannels;
    const write = (name: string, data: Uint8Array | Int32Array | Int16Array): string => {
      writeFileSync(join(dir, name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return join(dir, name);
    };
    const images = write(
      'images',
      Uint8Array.from({ length: count * image }, () => rng.int(256)),
    );
    const labels = write(
      'labels',
      Uint8Array.from({ length: count }, () => rng.int(macro.numClasses)),
    );
    const set = { count, images, labels };
    const channels = Array.from({ length: macro.inputChannels }, () => 0.5);
    await torch.request('dataset', {
      height: macro.inputSize,
      width: macro.inputSize,
      channels: macro.inputChannels,
      mean: channels,
      std: channels,
      train: set,
      test: set,
    });
    const spec = describeTorchNetwork({ space: 'nb201', arch: nb201Space.format(options.arch), ...macro });
    const weights = join(dir, 'weights');
    await torch.request('build', {
      layers: spec.layers,
      network: spec.network,
      weights: { path: weights, tensors: writeTensorFile(weights, initialWeights(spec.layers, 0)) },
      optimizer: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    });
    const epoch = async (steps: number): Promise<number> => {
      const plan = planEpoch({
        indices: Int32Array.from({ length: steps * batch }, (_, i) => i),
        batchSize: batch,
        augmentation: { cropPadding: 2, horizontalFlip: true },
        rng,
      });
      const started = performance.now();
      await torch.request('train_epoch', {
        count: plan.order.length,
        batchSize: batch,
        steps: plan.steps,
        learningRate: 0.01,
        order: write('order', plan.order),
        dy: write('offset-y', plan.offsetY),
        dx: write('offset-x', plan.offsetX),
        flip: write('flip', plan.flip),
      });
      return performance.now() - started;
    };
    if (options.warmup > 0) await epoch(options.warmup);
    const msPerStep = (await epoch(options.steps)) / options.steps;
    return {
      device: describeTorchDevice(hello),
      torch: hello.torch,
      batch,
      steps: options.steps,
      msPerStep,
      imagesPerSecond: (1000 * batch) / msPerStep,
    };
  } finally {
    torch.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
