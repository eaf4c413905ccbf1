import { Command } from 'commander';
import { runLceBench } from '../bench/lce.bench';
import { ErrorCode, NashubError } from '../core';

function parseCutoffs(text: string): number[] {
  const cutoffs = text.split(',').map((part) => Number(part.trim()));
  if (cutoffs.length === 0 || cutoffs.some((c) => !(c > 0 && c < 1))) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--cutoffs must be fractions in (0, 1) separated by commas, got "${text}"`,
      { details: { option: '--cutoffs', value: text } },
    );
  }
  return cutoffs;
}

function parseNumber(option: string, text: string, check: (n: number) => boolean): number {
  const n = Number(text);
  if (!check(n))
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `${option} is out of range: "${text}"`, {
      details: { option, value: text },
    });
  return n;
}

/** The flags of `nashub bench lce`, as commander gives them. */
interface BenchLceFlags {
  curves: string;
  cutoffs: string;
  trainCurves?: string;
  folds: string;
  seed: string;
  stopThreshold: string;
  key: string;
  maxTrainCurves?: string;
  repeats: string;
  methods?: string;
  surrogateData?: string;
  surrogateTarget: string;
  surrogateArchColumn: string;
  surrogateTrainSize: string;
  surrogateKind: string;
  surrogateKeepIsomorphs?: boolean;
}

/** `--surrogate-train-size`: sizes separated by commas, `all` for every row left after the exclusions. */
function parseTrainSizes(text: string): (number | null)[] {
  return text
    .split(',')
    .map((part) =>
      part.trim() === 'all'
        ? null
        : parseNumber('--surrogate-train-size', part.trim(), (n) => Number.isInteger(n) && n >= 10),
    );
}

/** `nashub bench lce`: learning-curve extrapolation, one JSON line per (cutoff, method). */
export function benchLceCommand(): Command {
  return new Command('lce')
    .description(
      'forecast final values of held-out curves from their first part: MAE, Kendall tau, 90% coverage, ms per curve, early stopping; one JSON line per cutoff and method',
    )
    .requiredOption('--curves <file>', 'JSON lines with one curve per line (e.g. nb201_curves_cifar10-valid.jsonl)')
    .option('--cutoffs <list>', 'observed parts of each curve', '0.1,0.2,0.4,0.8')
    .option(
      '--train-curves <file>',
      'train the learned methods on these curves instead of cross-validating over --curves',
    )
    .option('--folds <k>', 'cross-validation folds', '5')
    .option('--seed <n>', 'seed of folds and orders', '0')
    .option('--stop-threshold <p>', 'early stopping when P(final > best so far) is below this', '0.05')
    .option('--key <name>', 'key of the curve arrays', 'valid_acc')
    .option(
      '--max-train-curves <n>',
      'train the learned methods on at most n curves of each training fold (few stored curves)',
    )
    .option('--repeats <n>', "repeats of the learned methods' inner cross-validation", '1')
    .option(
      '--methods <list>',
      'run only these methods, e.g. KERNEL_RIDGE_ARCH,KERNEL_RIDGE_SURROGATE (labels without their (n=…) suffix)',
    )
    .option(
      '--surrogate-data <file>',
      "CSV of architectures and final values (e.g. nb201_summary.csv): fit an architecture surrogate on it, leaving out the curves' architectures and their isomorphs, and add curve + surrogate",
    )
    .option(
      '--surrogate-target <column>',
      "column of the final value in --surrogate-data, in the curves' scale",
      'cifar10_valid_acc',
    )
    .option('--surrogate-arch-column <column>', 'column of the architecture strings in --surrogate-data', 'arch_str')
    .option(
      '--surrogate-train-size <list>',
      'training architectures of the surrogate, drawn with --seed; several separated by commas, "all" for every row left',
      '781',
    )
    .option('--surrogate-kind <kind>', 'surrogate kind', 'ENSEMBLE')
    .option(
      '--surrogate-keep-isomorphs',
      "leave out only the curves' own architectures, not their isomorphs, from the surrogate's training rows",
    )
    .action(async (flags: BenchLceFlags) => {
      const lines = await runLceBench({
        curvesFile: flags.curves,
        trainCurvesFile: flags.trainCurves,
        cutoffs: parseCutoffs(flags.cutoffs),
        folds: parseNumber('--folds', flags.folds, (n) => Number.isInteger(n) && n >= 2),
        seed: parseNumber('--seed', flags.seed, Number.isInteger),
        stopThreshold: parseNumber('--stop-threshold', flags.stopThreshold, (n) => n >= 0 && n <= 1),
        key: flags.key,
        maxTrainCurves:
          flags.maxTrainCurves === undefined
            ? undefined
            : parseNumber('--max-train-curves', flags.maxTrainCurves, (n) => Number.isInteger(n) && n >= 10),
        repeats: parseNumber('--repeats', flags.repeats, (n) => Number.isInteger(n) && n >= 1),
        methods: flags.methods?.split(',').map((m) => m.trim()),
        surrogate:
          flags.surrogateData === undefined
            ? undefined
            : {
                dataFile: flags.surrogateData,
                targetColumn: flags.surrogateTarget,
                archColumn: flags.surrogateArchColumn,
                kind: flags.surrogateKind,
                excludeIsomorphs: flags.surrogateKeepIsomorphs !== true,
                trainSizes: parseTrainSizes(flags.surrogateTrainSize),
              },
      });
      for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
    });
}
