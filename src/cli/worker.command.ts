import { Command } from 'commander';
import { openStore } from '../store';
import { createLogger } from './create-logger';
import { loadConfig } from './load-config';
import { reportFatal } from './report-fatal';
import { startFitWorker } from '../predictors/start-fit-worker';

/** `nashub worker`: fits predictors from the fit queue until SIGINT/SIGTERM. */
export function workerCommand(): Command {
  return new Command('worker')
    .description('fit predictors queued by fitPredictor / `nashub fit --queue` (pg-boss in the same database)')
    .action(async () => {
      const config = loadConfig(process.env);
      const logger = createLogger(config.logLevel);
      const store = await openStore({ config: config.store });
      const running = await startFitWorker(store, logger).catch(async (error) => {
        await store.close();
        throw error;
      });
      logger.info({ worker: 'fit', database: store.kind }, 'fit worker ready');
      let stopping = false;
      const shutdown = (signal: string): void => {
        if (stopping) process.exit(1);
        stopping = true;
        logger.info({ signal }, 'stopping: the fit in hand finishes first');
        running
          .stop()
          .then(() => store.close())
          .then(() => logger.info('stopped cleanly'))
          .catch((error: unknown) => reportFatal(error));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
