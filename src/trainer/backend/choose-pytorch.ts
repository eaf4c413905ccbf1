import { ErrorCode, NashubError, parseNb201, type Nb201Macro } from '../../core';
import { findTorchRuntime, type TorchRuntime } from '../pytorch/find-torch';
import { measurePytorchBackend } from '../pytorch/measure-pytorch-backend';
import { describeTorchDevice } from '../pytorch/torch-process';
import { timeTrainingSteps } from './time-training-steps';

/** How the PyTorch backend runs: the interpreter, torch's thread count on CPU, and the device. */
export interface TorchChoice {
  runtime: TorchRuntime;
  /**
   * torch.set_num_threads: `NASHUB_TORCH_THREADS`, default torch's own count (physical cores), as a bare PyTorch loop
   * runs; fixed, so that a seed gives one curve.
   */
  threads: number;
  device: 'cuda' | 'cpu';
}

/** Images/s of one training step of the probe network, measured once when `auto` weighs PyTorch on CPU against wasm. */
export interface CpuSpeedComparison {
  pytorchImagesPerSecond: number;
  wasmImagesPerSecond: number;
  /** The network, batch and steps measured. */
  probe: string;
}

/** The fmnist-c8n1-e12 protocol's network (C=8, N=1) on a 3×3-conv cell: the probe `auto` times on both engines. */
const PROBE_MACRO: Nb201Macro = { C: 8, N: 1, numClasses: 10, inputChannels: 1, inputSize: 28 };
const PROBE_ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
const PROBE = { batch: 64, steps: 4, warmup: 1 };

/** The PyTorch backend as the environment sets it up; BACKEND_UNAVAILABLE (from findTorchRuntime) without torch. */
export function choosePytorch(env: NodeJS.ProcessEnv): TorchChoice {
  const raw = env.NASHUB_TORCH_THREADS?.trim();
  const threads = raw ? Number(raw) : undefined;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 1024))
    throw new NashubError(
      ErrorCode.CONFIG_INVALID,
      `NASHUB_TORCH_THREADS must be an integer in 1..1024, got "${raw}"`,
      {
        details: { variable: 'NASHUB_TORCH_THREADS', value: raw },
      },
    );
  const runtime = findTorchRuntime(env);
  return { runtime, threads: threads ?? runtime.threads, device: runtime.cuda ? 'cuda' : 'cpu' };
}

/** The device string of a choice, as sessions on it will report it. */
export function describeTorchChoice(choice: TorchChoice): string {
  return describeTorchDevice({
    device: choice.device,
    deviceName:
      choice.device === 'cuda'
        ? (choice.runtime.cudaDevice ?? 'cuda')
        : `cpu (${choice.threads} thread${choice.threads === 1 ? '' : 's'})`,
    torch: choice.runtime.torch,
  });
}

/**
 * Times the probe network's training step on the active tfjs backend (wasm, activated by the caller) and on the
 * PyTorch backend on CPU, one after the other: `auto` prefers PyTorch on CPU only when it is faster here.
 */
export async function compareCpuSpeed(choice: TorchChoice): Promise<CpuSpeedComparison> {
  const arch = parseNb201(PROBE_ARCH);
  const wasmMs = await timeTrainingSteps({ arch, macro: PROBE_MACRO, ...PROBE });
  const torch = await measurePytorchBackend({
    runtime: choice.runtime,
    threads: choice.threads,
    device: 'cpu',
    arch,
    macro: PROBE_MACRO,
    ...PROBE,
  });
  return {
    pytorchImagesPerSecond: torch.imagesPerSecond,
    wasmImagesPerSecond: (1000 * PROBE.batch) / wasmMs,
    probe: `nb201 C=8 N=1 1×28×28, batch ${PROBE.batch}, ${PROBE.steps} steps after ${PROBE.warmup}`,
  };
}
