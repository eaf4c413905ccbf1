import { Command } from 'commander';
import { runTrainerBench } from '../bench/trainer.bench';
import { ErrorCode, NashubError } from '../core';
import {
  TrainingBackend,
  parseTrainingBackendPreference,
  type TrainingBackendValue,
} from '../trainer/backend/select-training-backend';
import { positiveNumber } from './parse-integer-flag';

/** The flags of `nashub bench trainer`, as commander gives them. */
interface BenchTrainerFlags {
  arch: string;
  batch: string;
  steps: string;
  warmup: string;
  cpuBatch: string;
  cpuSteps: string;
  backends: string;
  pytorch: boolean;
}

/** `--backends`: backends (pytorch and the tfjs ones) separated by commas, each once. */
function parseBackends(text: string): TrainingBackendValue[] {
  const backends = text.split(',').map((part) => part.trim());
  const parsed = backends.map((backend) => {
    const value = parseTrainingBackendPreference(backend);
    if (value === 'auto')
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--backends lists backends; auto is not one', {
        details: { option: '--backends', value: text },
      });
    return value;
  });
  if (new Set(parsed).size !== parsed.length)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--backends names a backend twice: "${text}"`, {
      details: { option: '--backends', value: text },
    });
  return parsed;
}

/** `nashub bench trainer`: images/s of a training step per backend, and a bare PyTorch loop's on the same machine. */
export function benchTrainerCommand(): Command {
  return new Command('trainer')
    .description(
      'images/s of a training step of the fmnist-c16n5 network per backend (pytorch, tensorflow, webgpu, wasm, cpu), and a bare PyTorch loop when torch imports',
    )
    .option(
      '--arch <arch>',
      'NB201 cell of the network',
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    )
    .option('--batch <n>', 'images per step', '128')
    .option('--steps <n>', 'measured steps per backend', '3')
    .option('--warmup <n>', 'unmeasured steps before them', '1')
    .option('--cpu-batch <n>', 'images per step on the pure-JS cpu backend (minutes per step at 128)', '16')
    .option('--cpu-steps <n>', 'measured steps on cpu', '1')
    .option('--backends <list>', 'backends to measure, separated by commas', Object.values(TrainingBackend).join(','))
    .option('--no-pytorch', 'do not run the PyTorch baseline')
    .action(async (flags: BenchTrainerFlags) => {
      const result = await runTrainerBench({
        arch: flags.arch,
        batch: positiveNumber('--batch', flags.batch, true),
        steps: positiveNumber('--steps', flags.steps, true),
        warmup:
          Number.isInteger(Number(flags.warmup)) && Number(flags.warmup) >= 0
            ? Number(flags.warmup)
            : positiveNumber('--warmup', flags.warmup, true),
        cpuBatch: positiveNumber('--cpu-batch', flags.cpuBatch, true),
        cpuSteps: positiveNumber('--cpu-steps', flags.cpuSteps, true),
        backends: parseBackends(flags.backends),
        pytorch: flags.pytorch,
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}
