import { Command } from 'commander';
import { fitStoredPredictor, requestPredictorFit, resolveFitRequest } from '../predictors';
import { openStore } from '../store';
import { packageVersion } from '../store/package-version';
import { failAbandonedFits, insertClaimedPredictor, insertPredictor } from '../store/predictor';
import { JobQueue } from '../store/queue';
import { loadConfig } from './load-config';
import { parseIntegerFlag } from './parse-integer-flag';
import { createProgressReporter } from './progress-reporter';

interface FitFlags {
  space: string;
  dataset: string;
  protocol?: string;
  metric: string;
  epoch?: string;
  kind: string;
  trainSize?: string;
  seed?: string;
  queue?: boolean;
}

/** `nashub fit`: fits a predictor from the store's records (here, or as a queued job for `nashub worker`). */
export function fitCommand(): Command {
  return new Command('fit')
    .description('fit a surrogate predictor from the stored records; prints the predictor row as JSON')
    .requiredOption('--space <space>', 'search space (nb201, nb101, darts)')
    .requiredOption('--dataset <name>', 'dataset whose records are the targets')
    .option(
      '--protocol <name>',
      'protocol (default: the most epochs among those with records for the dataset in the space)',
    )
    .option('--metric <metric>', 'metric to predict (validAcc, testAcc, ...)', 'validAcc')
    .option('--epoch <n>', 'epoch of the metric (default: the final value)')
    .option('--kind <kind>', 'MLP | GNN | ENSEMBLE | SEMI | LINEAR', 'ENSEMBLE')
    .option('--train-size <n>', 'fit on a seeded random subset of this many records')
    .option('--seed <n>', 'seed of the hold-out split, subset and weights', '0')
    .option('--queue', 'enqueue a fit job for `nashub worker` instead of fitting here', false)
    .action(async (flags: FitFlags) => {
      const config = loadConfig(process.env);
      const store = await openStore({ config: config.store });
      try {
        const request = await resolveFitRequest(
          store.dataSource.manager,
          {
            space: flags.space,
            dataset: flags.dataset,
            protocol: flags.protocol,
            metric: flags.metric,
            kind: flags.kind,
            epoch: parseIntegerFlag('--epoch', flags.epoch),
            trainSize: parseIntegerFlag('--train-size', flags.trainSize),
            seed: parseIntegerFlag('--seed', flags.seed),
          },
          packageVersion(),
        );
        if (flags.queue) {
          const queue = await JobQueue.open(store);
          try {
            const row = await requestPredictorFit(store.dataSource, queue, request);
            process.stdout.write(`${JSON.stringify({ queued: true, predictor: row })}\n`);
          } finally {
            await queue.stop();
          }
          return;
        }
        // A fit here whose process was killed left its row TRAINING: say FAILED now that nothing claims it.
        await failAbandonedFits(store.dataSource.manager);
        // On PostgreSQL the row is claimed by this process's session until the fit ends (another process's
        // failAbandonedFits leaves it alone); PGlite's folder lock already makes this process the only one.
        const claimed =
          store.kind === 'postgres'
            ? await insertClaimedPredictor(store.dataSource, request)
            : { row: await insertPredictor(store.dataSource.manager, request), release: async () => undefined };
        const { row } = claimed;
        const progress = createProgressReporter({ job: 'fit', unit: '%' });
        const started = Date.now();
        // Ctrl-C stops at the next phase; the row then fails (fitStoredPredictor: no retry) rather than stay TRAINING.
        const abort = new AbortController();
        const onSignal = () => abort.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        let result;
        try {
          result = await fitStoredPredictor({
            dataSource: store.dataSource,
            predictorId: row.id,
            signal: abort.signal,
            onProgress: (phase, fraction) => progress.update(Math.round(fraction * 100), 100, { phase, rows: '' }),
          });
        } finally {
          progress.stop();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await claimed.release();
        }
        process.stdout.write(
          `${JSON.stringify({ predictor: result.predictor, cachedPredictions: result.cachedPredictions, seconds: (Date.now() - started) / 1000 })}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
