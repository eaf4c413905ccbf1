import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ErrorCode, isNashubError, isPermanentError } from '../core';
import type { Store } from '../store';
import { loadCatalog } from '../store/catalog/catalog';
import type { ClaimedJob, HandlerOutcome, JobQueue } from '../store/queue';
import {
  TrainingJobStatus,
  bestFinalValidAcc,
  failTrainingAttempt,
  finishTrainingJob,
  loadRunCurves,
  recordTrainingEpoch,
  releaseTrainingJob,
  restartTrainingJob,
  startTrainingJob,
  type TrainingJobRow,
} from '../store/training';
import type { TrainingBackendChoice } from '../trainer/backend/select-training-backend';
import { parseTrainingProtocol } from '../trainer/protocol/parse-training-protocol';
import type { TrainingProtocol } from '../trainer/protocol/training-protocol';
import type { EpochMetrics } from '../trainer/session/epoch-metrics';
import type { OpenTrainingSessionOptions, TrainingSession } from '../trainer/session/training-session';
import { trainingSessionOpener } from '../trainer/backend/training-session-opener';
import { decideEarlyStop } from './early-stop';
import type { Extrapolator } from '../predictor/lce';
import { StoredCurveModels } from '../predictors/stored-curve-models';
import { choosePredictor, loadPredictorWeights } from '../store/predictor';
import { packageVersion } from '../store/package-version';

/** The payload of a `train` queue job. */
export interface TrainJobData {
  jobId: string;
}

/** Options of {@link createTrainingJobHandler}. */
export interface TrainingJobHandlerOptions {
  store: Store;
  queue: JobQueue;
  /** Where datasets are (`--datasets`, `NASHUB_DATASETS`). */
  datasetsDir: string;
  /** The backend jobs train on and its device (chosen once per process); `torch` says how PyTorch runs. */
  backend: Pick<TrainingBackendChoice, 'backend' | 'device' | 'torch'>;
  /** Each written epoch extends the pg-boss lease this far: longer than the slowest epoch. */
  leaseSeconds: number;
  logger: Logger;
  /** Opens a session (default the real one; tests inject a slow or failing one). */
  openSession?: (options: OpenTrainingSessionOptions) => Promise<TrainingSession>;
  /** Called after each epoch is written. */
  onEpoch?(job: TrainingJobRow, metrics: EpochMetrics): void;
  /**
   * Called after a failed attempt whose error left the tfjs backend unusable in this process (the wasm heap aborted):
   * the job is back in the queue for a retry, and this process should stop and be restarted.
   */
  onBackendBroken?(error: Error): void;
}

/**
 * The work of one `train` job, for a {@link QueueWorker}: start (or resume) the job, train epoch by epoch, write each
 * epoch in one transaction, and finish, stop early, release or fail it, each through one store transaction that also
 * settles the pg-boss job, so the handler always answers `settled`. Cancellation is noticed when an epoch write finds
 * the job no longer RUNNING for this attempt. When the worker stops (`signal`), the epoch in hand is finished and
 * written, then the job is released for the next trainer.
 */
export function createTrainingJobHandler(
  options: TrainingJobHandlerOptions,
): (job: ClaimedJob<TrainJobData>, signal: AbortSignal) => Promise<HandlerOutcome> {
  const { store, queue, logger } = options;
  const dataSource = store.dataSource;
  const open = options.openSession ?? trainingSessionOpener(options.backend);

  return async (claimed, signal) => {
    const jobId = claimed.data.jobId;
    const worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const log = logger.child({ job: jobId });
    const started = await startTrainingJob(dataSource, queue, {
      jobId,
      worker,
      backend: options.backend.backend,
      device: options.backend.device,
    });
    if (started.kind !== 'started') {
      log.info(
        { outcome: started.kind, status: started.kind === 'finished' ? started.job.status : null },
        'nothing to train',
      );
      return { outcome: 'settled' };
    }
    const job = started.job;
    const storedCheckpoint = started.checkpoint;
    await queue.extendLease(jobId, options.leaseSeconds);
    log.info(
      {
        space: job.space,
        arch: job.arch,
        dataset: job.dataset,
        protocol: job.protocol,
        seed: job.seed,
        epochsDone: job.epochsDone,
        attempt: job.attempts,
        retry: claimed.retryCount,
      },
      'training',
    );

    const fail = async (error: Error, permanent: boolean): Promise<HandlerOutcome> => {
      const status = await failTrainingAttempt(dataSource, queue, { jobId, worker, error, permanent });
      log.error(
        { err: error, status, permanent },
        status === TrainingJobStatus.QUEUED ? 'attempt failed; pg-boss retries it' : 'job failed',
      );
      if (isNashubError(error) && error.details?.isBackendBroken === true) options.onBackendBroken?.(error);
      return { outcome: 'settled' };
    };

    let protocol: TrainingProtocol;
    try {
      const catalog = await loadCatalog(dataSource.manager);
      protocol = parseTrainingProtocol(catalog.protocolByName.get(job.protocol)!);
      if (protocol.dataset !== job.dataset)
        throw new Error(`protocol ${job.protocol} trains on ${protocol.dataset}, not the job's dataset ${job.dataset}`);
    } catch (error) {
      return fail(toError(error), true);
    }

    let session: TrainingSession;
    try {
      session = await openSessionOrRestart();
    } catch (error) {
      const cause = toError(error);
      return fail(cause, isPermanentError(cause));
    }

    try {
      const { validAcc, trainAcc } = await curveSoFar(session.epochsDone);
      let extrapolator: Extrapolator | undefined;
      let extrapolatorLoaded = false;
      while (session.epochsDone < session.totalEpochs) {
        const metrics = await session.runEpoch();
        const checkpoint = await session.checkpoint();
        const write = await recordTrainingEpoch(dataSource, queue, {
          jobId,
          worker,
          metrics,
          checkpoint,
          leaseSeconds: options.leaseSeconds,
        });
        if (!write.kept) {
          log.info(
            { status: write.status, epoch: metrics.epoch },
            write.status === TrainingJobStatus.CANCELLED ? 'job cancelled; moving on' : 'job no longer ours; moving on',
          );
          return { outcome: 'settled' };
        }
        validAcc.push(metrics.validAcc);
        trainAcc.push(metrics.trainAcc);
        log.info(
          {
            epoch: metrics.epoch,
            of: session.totalEpochs,
            trainLoss: metrics.trainLoss,
            validAcc: metrics.validAcc,
            testAcc: metrics.testAcc,
            seconds: metrics.seconds,
          },
          'epoch written',
        );
        options.onEpoch?.({ ...job, epochsDone: metrics.epoch }, metrics);
        if (protocol.earlyStopping && session.epochsDone < session.totalEpochs) {
          const best = await bestFinalValidAcc(dataSource.manager, {
            space: job.space,
            datasetId: job.datasetId,
            protocolId: job.protocolId,
          });
          if (!extrapolatorLoaded) {
            extrapolator = await storedExtrapolator(trainAcc);
            extrapolatorLoaded = true;
          }
          const decision = decideEarlyStop({
            rule: protocol.earlyStopping,
            validAcc,
            totalEpochs: session.totalEpochs,
            bestFinalSoFar: best,
            extrapolator,
            logger: log,
          });
          if (decision.stop) {
            await finishTrainingJob(dataSource, queue, {
              jobId,
              worker,
              status: TrainingJobStatus.STOPPED_EARLY,
              hardware: hardware(session),
              nashubVersion: packageVersion(),
            });
            log.info(
              { epoch: metrics.epoch, best, probabilityOfImprovement: decision.probabilityOfImprovement },
              'stopped early',
            );
            return { outcome: 'settled' };
          }
        }
        if (signal.aborted && session.epochsDone < session.totalEpochs) {
          const released = await releaseTrainingJob(dataSource, queue, { jobId, worker });
          log.info({ epochsDone: session.epochsDone, released }, 'worker stopping: job released after its epoch');
          return { outcome: 'settled' };
        }
      }
      const finished = await finishTrainingJob(dataSource, queue, {
        jobId,
        worker,
        status: TrainingJobStatus.COMPLETED,
        hardware: hardware(session),
        nashubVersion: packageVersion(),
      });
      log.info({ finished }, finished ? 'job completed' : 'job no longer ours at the end; not finished here');
      return { outcome: 'settled' };
    } catch (error) {
      const cause = toError(error);
      return fail(cause, isPermanentError(cause));
    } finally {
      session.dispose();
    }

    /** Resumes from the stored checkpoint; one that cannot be restored restarts the job from scratch, and says so. */
    async function openSessionOrRestart(): Promise<TrainingSession> {
      const base = { space: job.space, arch: job.arch, protocol, seed: job.seed, datasetsDir: options.datasetsDir };
      if (!storedCheckpoint) return open(base);
      let reason: string;
      try {
        const resumed = await open({ ...base, resumeFrom: storedCheckpoint });
        if (resumed.epochsDone === job.epochsDone) return resumed;
        resumed.dispose();
        reason = `checkpoint holds ${resumed.epochsDone} epochs but ${job.epochsDone} are written`;
      } catch (error) {
        if (!isNashubError(error) || error.code !== ErrorCode.CHECKPOINT_INVALID) throw error;
        reason = error.message;
      }
      log.warn({ reason, epochsDone: job.epochsDone }, 'checkpoint unusable: restarting the job from epoch 0');
      // Not ours any more (cancelled, or taken over): failing the attempt then touches nothing (see failTrainingAttempt).
      if (!(await restartTrainingJob(dataSource, { jobId, worker, reason: `restarted from epoch 0: ${reason}` })))
        throw new Error(`job ${jobId} is no longer this attempt's; not restarted`);
      job.epochsDone = 0;
      return open(base);
    }

    /** Validation and training accuracies already written (a resumed job), for early stopping. */
    async function curveSoFar(epochsDone: number): Promise<{ validAcc: number[]; trainAcc: number[] }> {
      if (epochsDone === 0 || job.runId === null) return { validAcc: [], trainAcc: [] };
      const curve = (await loadRunCurves(dataSource.manager, [job.runId])).get(job.runId);
      const values = (series: Array<number | null> | undefined) =>
        (series?.slice(0, epochsDone) ?? []).map((v) => v ?? Number.NaN);
      return { validAcc: values(curve?.validAcc), trainAcc: values(curve?.trainAcc) };
    }

    /**
     * The target's stored LCE model (`nashub fit --kind LCE`) as the early-stopping forecaster, reading this run's
     * architecture and training curve (`trainAcc` grows with the run); undefined (the parametric ensemble) when none is
     * fitted or its weights do not load.
     */
    async function storedExtrapolator(trainAccSoFar: readonly number[]): Promise<Extrapolator | undefined> {
      const row = await choosePredictor(dataSource.manager, {
        space: job.space,
        datasetId: job.datasetId,
        protocolId: job.protocolId,
        metric: 'validAcc',
        epoch: null,
        kind: 'LCE',
      });
      const weights = row ? await loadPredictorWeights(dataSource.manager, row.id) : null;
      if (!row || !weights) return undefined;
      try {
        const models = StoredCurveModels.load(weights);
        log.info({ predictor: row.id }, 'early stopping forecasts with the stored LCE predictor');
        return {
          method: models.curveOnly.method,
          forecast: (curve, forecastOptions) => {
            const trainCurve = trainAccSoFar.length >= curve.length ? trainAccSoFar.slice(0, curve.length) : undefined;
            const { usedTrainCurve: _used, ...forecast } = models.forecast(curve, forecastOptions.targetEpoch, {
              arch: job.arch,
              scale: forecastOptions.scale,
              trainCurve,
            });
            return forecast;
          },
        };
      } catch (error) {
        log.warn(
          { err: error, predictor: row.id },
          'the stored LCE predictor does not load; early stopping uses the parametric ensemble',
        );
        return undefined;
      }
    }
  };
}

function hardware(session: TrainingSession): string {
  return `${session.backend}/${session.device}`;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
