import { Command } from 'commander';
import { runPredictorBench } from '../bench/predictor.bench';
import { ErrorCode, NashubError } from '../core';
import { parsePredictorTuning } from './parse-predictor-tuning';

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--train-sizes must be positive integers separated by commas, got "${text}"`,
      { details: { option: '--train-sizes', value: text } },
    );
  }
  return sizes;
}

function parseNumber(option: string, text: string, check: (n: number) => boolean): number {
  const n = Number(text);
  if (!check(n))
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `${option} is out of range: "${text}"`, {
      details: { option, value: text },
    });
  return n;
}

/** `nashub bench predictor`: held-out Kendall τ, Spearman ρ, MAE and precision@1% of a surrogate kind, with baselines. */
export function benchPredictorCommand(): Command {
  return new Command('predictor')
    .description(
      'fit a surrogate on N random architectures of a CSV and score it on the rest: tau, rho, MAE, precision@1%, seconds; with LINEAR and params baselines; one JSON object',
    )
    .option('--space <name>', 'search space of the architecture column', 'nb201')
    .requiredOption('--data <file>', 'CSV with a header row (e.g. ../shared/data/nb201/nb201_summary.csv)')
    .option('--arch-column <name>', 'column of architecture texts', 'arch_str')
    .option('--target <name>', 'column of the target', 'cifar10_valid_acc')
    .option('--kind <kind>', 'MLP, GNN, ENSEMBLE, SEMI or LINEAR', 'ENSEMBLE')
    .option('--train-sizes <list>', 'training-set sizes', '78,156,469,781,1563')
    .option('--seeds <n>', 'seeds per size', '5')
    .option(
      '--ranking-weight <w>',
      'weight of the pairwise ranking loss (0: plain MSE; default: the predictor default)',
    )
    .option(
      '--predictor-options <json>',
      'further predictor options as a JSON object, e.g. \'{"resample":"folds","uncertainty":"spread"}\' (keys: members, steps, resample, isotonic, uncertainty, unlabelled, pseudoPerLabelled, pretrainSteps, autoencoderSteps)',
    )
    .action(
      async (flags: {
        space: string;
        data: string;
        archColumn: string;
        target: string;
        kind: string;
        trainSizes: string;
        seeds: string;
        rankingWeight?: string;
        predictorOptions?: string;
      }) => {
        const result = await runPredictorBench({
          space: flags.space,
          dataFile: flags.data,
          archColumn: flags.archColumn,
          targetColumn: flags.target,
          kind: flags.kind,
          trainSizes: parseSizes(flags.trainSizes),
          seeds: parseNumber('--seeds', flags.seeds, (n) => Number.isInteger(n) && n >= 1),
          rankingWeight:
            flags.rankingWeight === undefined
              ? undefined
              : parseNumber('--ranking-weight', flags.rankingWeight, (n) => n >= 0),
          tuning: flags.predictorOptions === undefined ? undefined : parsePredictorTuning(flags.predictorOptions),
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
      },
    );
}
