import type { DataSource } from 'typeorm';
import { isNashubError, type MetricName, type SearchSpace } from '../../core';
import { CurveScale, shouldStop } from '../../predictor/lce';
import type { JobQueue } from '../../store/queue';
import { loadProtocolValues } from '../../store/search';
import {
  cancelTrainingJob,
  findRunsById,
  findTrainingJobs,
  loadRunCurves,
  requestTraining,
  TrainingJobStatus,
  type TrainingJobRow,
} from '../../store/training';
import type { FidelityInfo } from '../strategy';
import { EvaluationSource, type Evaluation, type Evaluator, type Trial } from './evaluator';
import type { StoredForecaster } from './stored-forecaster';

/** One fidelity a training search can ask for: a trainer protocol of the run's dataset. */
export interface TrainingFidelity extends FidelityInfo {
  protocolId: number;
  metric: MetricName;
  /** The early-stopping forecaster of this protocol's runs. */
  forecaster: StoredForecaster;
}

/** Curve-forecast early stopping of a search's own jobs (the rule of the trainer's `earlyStopping`). */
export interface SearchEarlyStopping {
  /** Stop when P(final > the run's best final so far) is below this. */
  threshold: number;
  /** Never before this fraction of the protocol's epochs. */
  minEpochFraction: number;
}

/** Options of {@link TrainingEvaluator}. */
export interface TrainingEvaluatorOptions<A> {
  dataSource: DataSource;
  queue: JobQueue;
  space: SearchSpace<A>;
  datasetId: number;
  fidelities: readonly TrainingFidelity[];
  defaultFidelity: number;
  /** The seed of every training job the run requests. */
  trainingSeed: number;
  /** pg-boss priority of its jobs. */
  priority: number;
  /** Recorded as the jobs' requester. */
  requestedBy: string | null;
  /** How often running jobs are read. */
  pollMs: number;
  earlyStopping: SearchEarlyStopping | null;
  /** Called for an evaluation whose training failed or was cancelled by someone else (it is never told). */
  onFailed?(trial: Trial<A>, reason: string): void;
}

interface Pending<A> {
  trial: Trial<A>;
  jobId: string;
  /** Epochs already judged by the early-stopping rule. */
  judged: number;
}

/**
 * Real evaluations: an architecture with a COMPLETE record under the fidelity's protocol is answered from the store at
 * once (cost 0); any other gets a training job through `requestTraining` (one seed; an existing finished run of that
 * seed answers too), and `next` polls the jobs until one finishes. With early stopping on, each new epoch of a running
 * job is judged by `shouldStop` against the best final value this run has seen at that fidelity, and a job forecast
 * to lose is cancelled and told as stopped early with its last validation value. The clock is wall seconds. Jobs
 * that fail are not told (the report counts them); `close` cancels whatever is still queued or running.
 */
export class TrainingEvaluator<A> implements Evaluator<A> {
  readonly fidelities: readonly FidelityInfo[];
  readonly defaultFidelity: number;
  /** Evaluations whose training failed or was cancelled by someone else: never told. */
  failed = 0;
  private readonly started = performance.now();
  private readonly ready: Evaluation<A>[] = [];
  private readonly pending: Pending<A>[] = [];
  private readonly bestFinal = new Map<number, number>();

  constructor(private readonly options: TrainingEvaluatorOptions<A>) {
    this.fidelities = options.fidelities.map(({ protocol, epochs }) => ({ protocol, epochs }));
    this.defaultFidelity = options.defaultFidelity;
  }

  now(): number {
    return (performance.now() - this.started) / 1000;
  }

  async start(trial: Trial<A>): Promise<void> {
    const { dataSource, space, datasetId } = this.options;
    const fidelity = this.options.fidelities[trial.fidelity];
    const [record] = await loadProtocolValues(dataSource.manager, {
      space: space.name,
      datasetId,
      protocolId: fidelity.protocolId,
      metric: fidelity.metric,
      hashes: [trial.id],
    });
    if (record) {
      this.finish({
        ...trial,
        value: record.value,
        cost: 0,
        stoppedEarly: false,
        finishedAt: this.now(),
        source: EvaluationSource.RECORD,
      });
      return;
    }
    const cost = space.cost(trial.arch);
    const [entry] = await requestTraining(dataSource, this.options.queue, {
      space: space.name,
      architectures: [
        {
          hash: trial.id,
          arch: space.format(trial.arch),
          isoClass: space.isoClass(trial.arch),
          paramsM: cost.paramsM,
          flopsM: cost.flopsM,
        },
      ],
      datasetId,
      protocolId: fidelity.protocolId,
      totalEpochs: fidelity.epochs,
      seeds: [this.options.trainingSeed],
      priority: this.options.priority,
      requestedBy: this.options.requestedBy,
    });
    if (entry.job !== null) this.pending.push({ trial, jobId: entry.job.id, judged: entry.job.epochsDone });
    else await this.finishFromRun(trial, entry.runId!);
  }

  async next(): Promise<Evaluation<A> | null> {
    for (;;) {
      const ready = this.ready.shift();
      if (ready) return ready;
      if (this.pending.length === 0) return null;
      await this.poll();
      if (this.ready.length === 0) await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
  }

  /** Forgets what is running without cancelling it (a server stopping; the jobs stay queued): `next` answers null soon. */
  abandon(): void {
    this.pending.splice(0);
    this.ready.splice(0);
  }

  async close(): Promise<void> {
    const { dataSource, queue } = this.options;
    for (const { jobId } of this.pending.splice(0)) {
      try {
        await cancelTrainingJob(dataSource, queue, jobId);
      } catch (error) {
        // It finished (or was cancelled) between the last poll and now: nothing left to stop.
        if (!isNashubError(error) || error.code !== 'CONFLICT') throw error;
      }
    }
  }

  /** Reads the pending jobs once: finished ones become evaluations (in finish order), running ones are judged. */
  private async poll(): Promise<void> {
    const { dataSource } = this.options;
    const jobs = await findTrainingJobs(
      dataSource.manager,
      this.pending.map((p) => p.jobId),
    );
    const finished: Array<{ pending: Pending<A>; job: TrainingJobRow }> = [];
    const running: Array<{ pending: Pending<A>; job: TrainingJobRow }> = [];
    for (const pending of this.pending) {
      const job = jobs.get(pending.jobId)!;
      if (job.status === TrainingJobStatus.QUEUED) continue;
      if (job.status === TrainingJobStatus.RUNNING) running.push({ pending, job });
      else finished.push({ pending, job });
    }
    finished.sort((a, b) => (a.job.finishedAt?.getTime() ?? 0) - (b.job.finishedAt?.getTime() ?? 0));
    for (const { pending, job } of finished) {
      this.drop(pending);
      if (job.status === TrainingJobStatus.COMPLETED || job.status === TrainingJobStatus.STOPPED_EARLY)
        await this.finishFromRun(pending.trial, job.runId!);
      else this.fail(pending.trial, `training job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`);
    }
    if (this.options.earlyStopping !== null)
      await this.judge(running.filter(({ pending, job }) => job.runId !== null && job.epochsDone > pending.judged));
  }

  /** The early-stopping rule on jobs with new epochs; a stopped job is cancelled and told with its partial curve. */
  private async judge(jobs: Array<{ pending: Pending<A>; job: TrainingJobRow }>): Promise<void> {
    if (jobs.length === 0) return;
    const rule = this.options.earlyStopping!;
    const curves = await loadRunCurves(
      this.options.dataSource.manager,
      jobs.map(({ job }) => job.runId!),
    );
    for (const { pending, job } of jobs) {
      pending.judged = job.epochsDone;
      const curve = curves.get(job.runId!);
      const fidelity = this.options.fidelities[pending.trial.fidelity];
      const best = this.bestFinal.get(pending.trial.fidelity) ?? null;
      const validAcc = (curve?.validAcc ?? []).slice(0, job.epochsDone).filter((v): v is number => v !== null);
      const n = validAcc.length;
      if (best === null || n === 0 || n >= job.totalEpochs || n < Math.ceil(rule.minEpochFraction * job.totalEpochs))
        continue;
      const trainAcc = (curve?.trainAcc ?? []).slice(0, n).map((v) => v ?? Number.NaN);
      let stop: boolean;
      try {
        stop = shouldStop(validAcc, best, rule.threshold, {
          targetEpoch: job.totalEpochs,
          scale: CurveScale.PERCENT,
          extrapolator: fidelity.forecaster.forArch(job.arch, trainAcc),
        }).stop;
      } catch (error) {
        // A curve the forecaster refuses (too short, out of range): training goes on, as the trainer's rule does.
        if (!isNashubError(error)) throw error;
        continue;
      }
      if (!stop) continue;
      try {
        await cancelTrainingJob(this.options.dataSource, this.options.queue, job.id);
      } catch (error) {
        // It finished first: the next poll tells its final value.
        if (isNashubError(error) && error.code === 'CONFLICT') continue;
        throw error;
      }
      this.drop(pending);
      const seconds = (curve?.epochSeconds ?? []).slice(0, n).reduce<number>((sum, s) => sum + (s ?? 0), 0);
      this.finish({
        ...pending.trial,
        value: validAcc[n - 1],
        cost: seconds,
        stoppedEarly: true,
        finishedAt: this.now(),
        source: EvaluationSource.TRAINED,
      });
    }
  }

  private async finishFromRun(trial: Trial<A>, runId: number): Promise<void> {
    const run = (await findRunsById(this.options.dataSource.manager, [runId])).get(runId)!;
    const metric = this.options.fidelities[trial.fidelity].metric;
    const value = run.values[metric];
    if (value === null) {
      this.fail(trial, `run ${runId} has no ${metric}`);
      return;
    }
    this.finish({
      ...trial,
      value,
      cost: run.trainSeconds ?? 0,
      stoppedEarly: run.status === 'STOPPED_EARLY',
      finishedAt: this.now(),
      source: EvaluationSource.TRAINED,
    });
  }

  private finish(evaluation: Evaluation<A>): void {
    if (!evaluation.stoppedEarly) {
      const best = this.bestFinal.get(evaluation.fidelity);
      if (best === undefined || evaluation.value > best) this.bestFinal.set(evaluation.fidelity, evaluation.value);
    }
    this.ready.push(evaluation);
  }

  private fail(trial: Trial<A>, reason: string): void {
    this.failed++;
    this.options.onFailed?.(trial, reason);
  }

  private drop(pending: Pending<A>): void {
    this.pending.splice(this.pending.indexOf(pending), 1);
  }
}
