import { Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import { getSpace } from '../../core';
import type { TrainingJobRow } from '../../store/training';
import { ArchitectureNode } from '../architecture/architecture-node';
import { ArchitectureType } from '../architecture/architecture.type';
import type { RequestContext } from '../context.type';
import { CurveType } from '../record/curve.type';
import { RunType } from '../run/run.type';
import { JobType } from './job.type';
import { toRunType } from '../run/to-run-type';

/** Derived fields of `Job`: what it trains, the curve so far, the ETA, the run. */
@Resolver(() => JobType)
export class JobFieldsResolver {
  @FieldResolver(() => ArchitectureType)
  architecture(@Root() job: TrainingJobRow): ArchitectureNode {
    return ArchitectureNode.fromText(getSpace(job.space), job.arch);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'The epoch being trained now (1-based) while RUNNING; null otherwise.',
  })
  epoch(@Root() job: TrainingJobRow): number | null {
    return job.status === 'RUNNING' && job.epochsDone < job.totalEpochs ? job.epochsDone + 1 : null;
  }

  @FieldResolver(() => CurveType, {
    nullable: true,
    description: 'The epochs written so far (for a finished job, its whole curve); null before the first claim.',
  })
  async curve(@Root() job: TrainingJobRow, @Ctx() ctx: RequestContext): Promise<CurveType | null> {
    if (job.runId === null) return null;
    const curve = await ctx.loaders.runCurve.load(job.runId);
    if (!curve) return null;
    const n = Math.min(
      curve.epochs.length,
      job.status === 'COMPLETED' || job.status === 'STOPPED_EARLY' ? curve.epochs.length : job.epochsDone,
    );
    const cut = <T>(values: T[]) => values.slice(0, n);
    return {
      dataset: job.dataset,
      protocol: job.protocol,
      seed: job.seed,
      epochs: cut(curve.epochs),
      trainAcc: cut(curve.trainAcc),
      validAcc: cut(curve.validAcc),
      testAcc: cut(curve.testAcc),
      trainLoss: cut(curve.trainLoss),
      validLoss: cut(curve.validLoss),
      testLoss: cut(curve.testLoss),
      epochSeconds: cut(curve.epochSeconds),
    };
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Mean wall time of the epochs written so far, seconds; null before the first.',
  })
  async meanEpochSeconds(@Root() job: TrainingJobRow, @Ctx() ctx: RequestContext): Promise<number | null> {
    return meanEpochSeconds(job, ctx);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'Estimated seconds until the last epoch is written: remaining epochs × mean epoch time so far. 0 once finished; null before the first epoch, or when cancelled or failed.',
  })
  async etaSeconds(@Root() job: TrainingJobRow, @Ctx() ctx: RequestContext): Promise<number | null> {
    if (job.status === 'COMPLETED' || job.status === 'STOPPED_EARLY') return 0;
    if (job.status === 'CANCELLED' || job.status === 'FAILED') return null;
    const mean = await meanEpochSeconds(job, ctx);
    return mean === null ? null : mean * (job.totalEpochs - job.epochsDone);
  }

  @FieldResolver(() => RunType, {
    nullable: true,
    description: 'The run this job writes (status RUNNING while it trains); null before the first claim.',
  })
  async run(@Root() job: TrainingJobRow, @Ctx() ctx: RequestContext): Promise<RunType | null> {
    if (job.runId === null) return null;
    const row = await ctx.loaders.runById.load(job.runId);
    return row ? toRunType(row) : null;
  }

  @FieldResolver(() => Boolean, {
    description: 'True when a checkpoint is stored: the next attempt resumes after epochsDone.',
  })
  hasCheckpoint(@Root() job: TrainingJobRow): boolean {
    return job.hasCheckpoint;
  }
}

async function meanEpochSeconds(job: TrainingJobRow, ctx: RequestContext): Promise<number | null> {
  if (job.runId === null || job.epochsDone === 0) return null;
  const curve = await ctx.loaders.runCurve.load(job.runId);
  const seconds = (curve?.epochSeconds.slice(0, job.epochsDone) ?? []).filter((s): s is number => s !== null);
  return seconds.length === 0 ? null : seconds.reduce((a, b) => a + b, 0) / seconds.length;
}
