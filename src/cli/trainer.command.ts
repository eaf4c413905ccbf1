import { Command } from 'commander';
import { MultiBar, type SingleBar } from 'cli-progress';
import { ErrorCode, NashubError } from '../core';
import { openStore } from '../store';
import { JobQueue } from '../store/queue';
import { parseTrainingBackendPreference, selectTrainingBackend } from '../trainer/backend/select-training-backend';
import { TrainerPool } from '../training';
import { createLogger } from './create-logger';
import { loadConfig } from './load-config';
import { reportFatal } from './report-fatal';

/** Where Debian's `dataset-fashion-mnist` puts the IDX files. */
export const DEFAULT_DATASETS_DIR = '/usr/share/datasets/fashion-mnist';

interface TrainerCommandOptions {
  concurrency: string;
  backend: string;
  datasets?: string;
  leaseSeconds: string;
}

/**
 * `nashub trainer`: claims `train` jobs from the queue in the store's database and trains them until SIGINT/SIGTERM,
 * which lets each worker finish and write its current epoch, releases its job for the next trainer, and exits 0.
 * Logs JSON lines on stderr; on a TTY, one progress bar per worker.
 */
export function trainerCommand(): Command {
  return new Command('trainer')
    .description('train queued jobs (requestTraining) until SIGTERM; embedded PGlite unless DATABASE_URL is set')
    .option('-c, --concurrency <n>', 'jobs trained at once in this process', '1')
    .option('-b, --backend <name>', 'training backend: auto, pytorch, tensorflow, webgpu, wasm or cpu', 'auto')
    .option('-d, --datasets <dir>', `dataset folder (default NASHUB_DATASETS or ${DEFAULT_DATASETS_DIR})`)
    .option('--lease-seconds <s>', 'pg-boss lease each written epoch renews; longer than the slowest epoch', '900')
    .action(async (opts: TrainerCommandOptions) => {
      const concurrency = integerOption('concurrency', opts.concurrency, 1, 64);
      const leaseSeconds = integerOption('lease-seconds', opts.leaseSeconds, 10, 7 * 24 * 3600);
      const preference = parseTrainingBackendPreference(opts.backend);
      const datasetsDir = opts.datasets ?? (process.env.NASHUB_DATASETS || DEFAULT_DATASETS_DIR);
      const config = loadConfig(process.env);
      const logger = createLogger(config.logLevel);
      const backend = await selectTrainingBackend(preference);
      logger.info(
        {
          backend: backend.backend,
          device: backend.device,
          skipped: backend.skipped,
          measured: backend.measured,
          python: backend.torch?.runtime.python,
        },
        'training backend',
      );

      const store = await openStore({ config: config.store });
      let queue: JobQueue;
      try {
        queue = await JobQueue.open(store, {
          supervise: true,
          onError: (error) => logger.error({ err: error }, 'job queue error'),
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      const bars = process.stderr.isTTY
        ? new MultiBar({
            format: 'job {job} [{bar}] {value}/{total} epochs | valid {validAcc}% | {seconds}s/epoch',
            stream: process.stderr,
            clearOnComplete: false,
          })
        : null;
      const barOf = new Map<string, SingleBar>();
      const pool = new TrainerPool({
        store,
        queue,
        concurrency,
        datasetsDir,
        backend,
        leaseSeconds,
        logger,
        onState: (worker, state) => logger.debug({ worker, state }, 'worker state'),
        onEpoch: (job, metrics) => {
          if (!bars) return;
          const fields = {
            job: job.id.slice(0, 8),
            validAcc: metrics.validAcc.toFixed(2),
            seconds: metrics.seconds.toFixed(1),
          };
          let bar = barOf.get(job.id);
          if (!bar) barOf.set(job.id, (bar = bars.create(job.totalEpochs, metrics.epoch, fields)));
          else bar.update(metrics.epoch, fields);
        },
        // The wasm heap aborted: nothing more trains in this process. Its job is back in the queue; stop and let the
        // supervisor (docker's restart policy, systemd) start a fresh trainer.
        onBackendBroken: (error) => {
          logger.fatal({ err: error }, 'the tfjs backend is unusable in this process; stopping for a restart');
          process.exitCode = 75;
          shutdown('backend-broken');
        },
      });
      pool.start();
      logger.info({ concurrency, datasetsDir, database: store.kind }, 'trainer ready');
      process.stdout.write(`nashub trainer: ${concurrency} worker(s) on ${backend.backend} (${store.kind})\n`);

      let stopping = false;
      function shutdown(signal: string): void {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting without releasing');
          process.exit(1);
        }
        stopping = true;
        logger.info({ signal }, 'stopping: finishing the current epochs, then releasing their jobs');
        pool
          .stop()
          .then(() => bars?.stop())
          .then(() => queue.stop())
          .then(() => store.close())
          .then(() => {
            logger.info({ counts: pool.workers.map((w) => w.counts) }, 'trainer stopped cleanly');
            process.stdout.write('nashub trainer stopped\n');
          })
          .catch((error: unknown) => reportFatal(error));
      }
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}

function integerOption(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--${name} must be an integer in ${min}..${max}, got "${raw}"`, {
      details: { field: name },
    });
  }
  return value;
}
