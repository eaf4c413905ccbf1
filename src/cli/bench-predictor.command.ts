import { Command } from 'commander';
import { runPredictorBench, type PredictorTuning } from '../bench/predictor.bench';
import { ErrorCode, NashubError } from '../core';

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--train-sizes must be positive integers separated by commas, got "${text}"`, { details: { option: '--train-sizes', value: text } });
  }
  return sizes;
}

function parseNumber(option: string, text: string, check: (n: number) => boolean): number {
  const n = Number(text);
  if (!check(n)) throw new NashubError(ErrorCode.INVALID_ARGUMENT, `${option} is out of range: "${text}"`, { details: { option, value: text } });
  return n;
}

/** Type each --predictor-options key must have; string keys list their allowed values. */
const TUNING_KEYS: Record<keyof PredictorTuning, 'integer' | 'number' | 'boolean' | readonly string[]> = {
  members: 'integer',
  steps: 'integer',
  resample: ['none', 'folds'],
  isotonic: 'boolean',
  uncertainty: ['spread', 'residual', 'combined', 'scaled'],
  unlabelled: 'integer',
  pseudoPerLabelled: 'number',
  pretrainSteps: 'integer',
  autoencoderSteps: 'integer',
};

function parseTuning(text: string): PredictorTuning {
  const fail = (why: string): never => {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--predictor-options ${why}`, { details: { option: '--predictor-options', value: text } });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--predictor-options is not valid JSON', { details: { option: '--predictor-options', value: text }, cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be a JSON object');
  for (const [key, v] of Object.entries(value)) {
    const type = TUNING_KEYS[key as keyof PredictorTuning];
    if (type === undefined) fail(`has an unknown key "${key}"; known: ${Object.keys(TUNING_KEYS).join(', ')}`);
    const ok =
      Array.isArray(type) ? type.includes(v as string)
      : type === 'integer' ? Number.isInteger(v) && (v as number) >= 0
      : type === 'number' ? typeof v === 'number' && Number.isFinite(v) && v >= 0
      : typeof v === 'boolean';
    if (!ok) fail(`key "${key}" must be ${Array.isArray(type) ? `one of ${type.join(', ')}` : `a non-negative ${type}`}`);
  }
  return value as PredictorTuning;
}

/** `nashub bench predictor`: held-out Kendall τ, Spearman ρ, MAE and precision@1% of a surrogate kind, with baselines. */
export function benchPredictorCommand(): Command {
  return new Command('predictor')
    .description('fit a surrogate on N random architectures of a CSV and score it on the rest: tau, rho, MAE, precision@1%, seconds; with LINEAR and params baselines; one JSON object')
    .option('--space <name>', 'search space of the architecture column', 'nb201')
    .requiredOption('--data <file>', 'CSV with a header row (e.g. ../shared/data/nb201/nb201_summary.csv)')
    .option('--arch-column <name>', 'column of architecture texts', 'arch_str')
    .option('--target <name>', 'column of the target', 'cifar10_valid_acc')
    .option('--kind <kind>', 'MLP, GNN, ENSEMBLE, SEMI or LINEAR', 'ENSEMBLE')
    .option('--train-sizes <list>', 'training-set sizes', '78,156,469,781,1563')
    .option('--seeds <n>', 'seeds per size', '5')
    .option('--ranking-weight <w>', 'weight of the pairwise ranking loss (0: plain MSE; default: the predictor default)')
    .option('--predictor-options <json>', 'further predictor options as a JSON object, e.g. \'{"resample":"folds","uncertainty":"spread"}\' (keys: members, steps, resample, isotonic, uncertainty, unlabelled, pseudoPerLabelled, pretrainSteps, autoencoderSteps)')
    .action(async (flags: { space: string; data: string; archColumn: string; target: string; kind: string; trainSizes: string; seeds: string; rankingWeight?: string; predictorOptions?: string }) => {
      const result = await runPredictorBench({
        space: flags.space,
        dataFile: flags.data,
        archColumn: flags.archColumn,
        targetColumn: flags.target,
        kind: flags.kind,
        trainSizes: parseSizes(flags.trainSizes),
        seeds: parseNumber('--seeds', flags.seeds, (n) => Number.isInteger(n) && n >= 1),
        rankingWeight: flags.rankingWeight === undefined ? undefined : parseNumber('--ranking-weight', flags.rankingWeight, (n) => n >= 0),
        tuning: flags.predictorOptions === undefined ? undefined : parseTuning(flags.predictorOptions),
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}
