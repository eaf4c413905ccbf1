import type { DataSource } from 'typeorm';
import { getSpace, type MetricName } from '../../core';
import type { JobQueue } from '../../store/queue';
import {
  findSearchRun,
  listSearchRuns,
  listSearchTrials,
  SearchRunMode,
  SearchRunStatus,
  SearchTrialState,
  type SearchRunDriverClaim,
  type SearchRunRow,
} from '../../store/search';
import { TrainingEvaluator } from '../evaluator/training-evaluator';
import { loadTrainingFidelities } from '../run/run-training-search';
import type { SearchService } from './search-service';
import type { StoredFidelity } from './strategy-replay';

/** The worker name a TRAINING run's trials are handed to: the same in every server process, so a restart takes over. */
export const TRAINING_WORKER = 'nashub-trainer';

/** Where a driver logs. */
export interface DriverLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Options of {@link TrainingRunDriver}. */
export interface TrainingRunDriverOptions {
  dataSource: DataSource;
  service: SearchService;
  /** The job queue, opened on first use. */
  queue(): Promise<JobQueue>;
  logger: DriverLogger;
  /** How often running jobs are read (milliseconds). */
  pollMs?: number;
  /** Trials a run keeps training at once (default 2). */
  parallel?: number;
  /**
   * Claims a run for this process before driving it (null: another process drives it), so that of several API
   * processes on one database one drives each run (see `tryClaimSearchRunDriver`). Without it every run is driven
   * here: right where one process owns the store (embedded PGlite).
   */
  claim?(runId: number): Promise<SearchRunDriverClaim | null>;
  /** How often a run another process drives is claimed again, to take it over when that process dies (ms, default 5,000). */
  claimRetryMs?: number;
}

/**
 * Drives TRAINING runs inside a server: asks the run like any worker (as {@link TRAINING_WORKER}), has nashub's
 * trainer train what has no record (the search's `TrainingEvaluator`: a stored record answers at once, otherwise a
 * training job), heartbeats the trials while they train, and tells or fails them when their jobs end. It keeps no
 * state of its own: a restarted server resumes every RUNNING TRAINING run, taking over its outstanding trials (asking
 * for training again finds their pending jobs). Stopping the server leaves the jobs queued for the next start.
 */
export class TrainingRunDriver {
  private readonly loops = new Map<number, Promise<void>>();
  private readonly stop = new AbortController();
  private readonly stopped: Promise<void>;

  constructor(private readonly options: TrainingRunDriverOptions) {
    this.stopped = new Promise((resolve) =>
      this.stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }

  /** Starts driving a run (no-op when it is driven already or the driver is closed). */
  start(runId: number): void {
    if (this.loops.has(runId) || this.stop.signal.aborted) return;
    const loop = this.claimAndDrive(runId)
      .catch((error: unknown) =>
        this.options.logger.error({ err: error, run: runId }, 'search run driver stopped on an error'),
      )
      .finally(() => this.loops.delete(runId));
    this.loops.set(runId, loop);
  }

  /** Starts every RUNNING TRAINING run of the store. */
  async resume(): Promise<void> {
    let afterId: number | null = null;
    for (;;) {
      const page = await listSearchRuns(
        this.options.dataSource.manager,
        { statuses: [SearchRunStatus.RUNNING] },
        { first: 500, afterId },
      );
      for (const run of page.rows) if (run.mode === SearchRunMode.TRAINING) this.start(run.id);
      if (!page.hasNextPage) return;
      afterId = page.rows.at(-1)!.id;
    }
  }

  /** Stops every loop at its next step; their jobs stay queued. */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled([...this.loops.values()]);
  }

  /** Drives the run once this process holds its claim; until then, claims it again now and then while it runs. */
  private async claimAndDrive(runId: number): Promise<void> {
    const { claim, logger } = this.options;
    if (!claim) return this.drive(runId, this.stop.signal);
    let told = false;
    while (!this.stop.signal.aborted) {
      const held = await claim(runId);
      if (held) {
        try {
          // A claim whose connection failed is gone: stop driving, and claim again below (another may hold it now).
          await this.drive(runId, AbortSignal.any([this.stop.signal, held.lost]));
          if (!held.lost.aborted) return;
          logger.error({ run: runId, err: held.lost.reason }, 'lost the claim on a TRAINING search run');
          continue;
        } finally {
          await held
            .release()
            .catch((error: unknown) =>
              logger.error({ run: runId, err: error }, 'could not give up a TRAINING search run claim'),
            );
        }
      }
      const run = await findSearchRun(this.options.dataSource.manager, runId);
      if (!run || !isDrivenRun(run)) return;
      if (!told) logger.info({ run: runId }, 'another process drives this TRAINING search run; standing by');
      told = true;
      await Promise.race([this.stopped, sleep(this.options.claimRetryMs ?? 5000)]);
    }
  }

  /** Drives the run until it is over or `signal` aborts. */
  private async drive(runId: number, signal: AbortSignal): Promise<void> {
    const { dataSource, service } = this.options;
    const manager = dataSource.manager;
    const run = (await findSearchRun(manager, runId))!;
    const space = getSpace(run.space);
    const stored = run.fidelities as StoredFidelity[];
    const { dataset, fidelities } = await loadTrainingFidelities(manager, {
      space,
      dataset: run.dataset,
      fidelities: stored.map((f) => ({ protocol: f.protocol, metric: f.metric as MetricName, costFrom: f.costFrom })),
      final: { protocol: run.finalProtocol, metric: run.finalMetric as MetricName },
    });
    /** Trial ids by the evaluator's sequence numbers. */
    const trials = new Map<number, number>();
    const failures: Array<{ trialId: number; reason: string }> = [];
    let seq = 0;
    const evaluator = new TrainingEvaluator<unknown>({
      dataSource,
      queue: await this.options.queue(),
      space,
      datasetId: dataset.id,
      fidelities,
      defaultFidelity: run.observe,
      trainingSeed: 0,
      priority: 0,
      requestedBy: run.createdBy,
      pollMs: this.options.pollMs ?? 1000,
      earlyStopping: null,
      onFailed: (trial, reason) => failures.push({ trialId: trials.get(trial.seq)!, reason }),
    });
    // Stopping ends a wait for a job within one poll; the jobs stay queued for the next start.
    const abandon = () => evaluator.abandon();
    signal.addEventListener('abort', abandon, { once: true });
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const begin = async (trial: { id: number; arch: string; archId: string; fidelity: number }) => {
      const key = seq++;
      trials.set(key, trial.id);
      await evaluator.start({ seq: key, arch: space.parse(trial.arch), id: trial.archId, fidelity: trial.fidelity });
    };
    const own = await listSearchTrials(
      manager,
      runId,
      { states: [SearchTrialState.ASKED, SearchTrialState.RUNNING] },
      { first: 10_000, afterNumber: null },
    );
    for (const trial of own.rows) if (trial.worker === TRAINING_WORKER) await begin(trial);
    const heartbeat = setInterval(
      () => {
        for (const trialId of trials.values()) void service.heartbeat(trialId, TRAINING_WORKER).catch(() => undefined);
      },
      Math.max(1000, (run.leaseSeconds * 1000) / 3),
    );
    heartbeat.unref();
    this.options.logger.info({ run: runId, resumed: own.rows.length }, 'driving a TRAINING search run');
    try {
      while (!signal.aborted) {
        for (const { trialId, reason } of failures.splice(0)) {
          [...trials].filter(([, id]) => id === trialId).forEach(([key]) => trials.delete(key));
          await service.fail(trialId, TRAINING_WORKER, reason.slice(0, 2000));
        }
        const free = (this.options.parallel ?? 2) - trials.size;
        if (free > 0) {
          const asked = await service.ask(runId, TRAINING_WORKER, free);
          if (asked.finished && trials.size === 0) return;
          for (const trial of asked.trials) await begin(trial);
          if (trials.size === 0) {
            await Promise.race([aborted, sleep(asked.retryAfterSeconds * 1000)]);
            continue;
          }
        }
        const evaluation = await evaluator.next();
        if (evaluation === null) continue;
        const trialId = trials.get(evaluation.seq)!;
        trials.delete(evaluation.seq);
        await service.tell(trialId, TRAINING_WORKER, { value: evaluation.value, cost: evaluation.cost });
      }
    } finally {
      clearInterval(heartbeat);
      signal.removeEventListener('abort', abandon);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a run is one a driver serves. */
export function isDrivenRun(run: SearchRunRow): boolean {
  return run.mode === SearchRunMode.TRAINING && run.status === SearchRunStatus.RUNNING;
}
