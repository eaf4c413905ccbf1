import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ErrorCode, NashubError, getSpace } from '../../core';
import { ApiKeyRole } from '../../store';
import {
  cancelTrainingJob,
  findRunsById,
  findTrainingJob,
  listTrainingJobs,
  type TrainingJobRow,
} from '../../store/training';
import type { RequestContext } from '../context.type';
import { checkLimit } from '../limit/limit-exceeded';
import { findDataset, findProtocol } from '../../catalog';
import { requestCatalog } from '../record/record-target';
import { ArchitectureNode } from '../architecture/architecture-node';
// The use case's own file, not training/'s barrel: the server never loads the trainer's workers.
import { requestTrainingJobs } from '../../training/request-training-jobs';
import { JobConnection, JobFilterInput } from './job-connection.type';
import { decodeJobCursor, encodeJobCursor } from './job-cursor';
import { JobType } from './job.type';
import { RequestTrainingArgs } from './request-training.args';
import { TrainingRequestType } from './training-request.type';
import { toRunType } from '../run/to-run-type';

/** Training jobs: request, cancel, read. */
@Resolver()
export class JobResolver {
  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => [TrainingRequestType], {
    description:
      'Queues real training (role trainer or admin), one job per (architecture, seed), in one transaction, and answers in input order ' +
      '(architecture-major, then seeds). Idempotent: a finished run (COMPLETE or STOPPED_EARLY) is returned as run with no job; a QUEUED or ' +
      'RUNNING job for the same (architecture, dataset, protocol, seed) is returned with isNew false; concurrent identical calls create each ' +
      'job once. Errors: UNKNOWN_SPACE, UNKNOWN_DATASET, UNKNOWN_PROTOCOL, INVALID_ARCHITECTURE (details.index), INVALID_ARGUMENT (a protocol ' +
      'the trainer cannot train or written for another dataset, a space it cannot build, an nb101 cell whose output has more inputs than ' +
      'the protocol has channels C (details.index), bad seeds), LIMIT_EXCEEDED (maxArchs).',
  })
  async requestTraining(@Args() args: RequestTrainingArgs, @Ctx() ctx: RequestContext): Promise<TrainingRequestType[]> {
    const space = getSpace(args.space);
    const requested = await requestTrainingJobs(
      {
        space: space.name,
        archs: args.archs,
        dataset: args.dataset,
        protocol: args.protocol,
        seeds: args.seeds,
        priority: args.priority,
        requestedBy: ctx.auth?.keyName ?? null,
      },
      {
        dataSource: ctx.store.dataSource,
        queue: await ctx.services.queue(),
        catalog: requestCatalog(ctx),
        maxJobs: ctx.limits.maxArchs,
      },
    );
    const runs = await findRunsById(
      ctx.store.dataSource.manager,
      requested.flatMap((e) => (e.runId === null ? [] : [e.runId])),
    );
    return requested.map((entry) => ({
      architecture: ArchitectureNode.fromText(space, entry.arch),
      seed: entry.seed,
      job: entry.job,
      run: entry.runId === null ? null : toRunType(runs.get(entry.runId)!),
      isNew: entry.isNew,
    }));
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => JobType, {
    description:
      'Cancels a QUEUED or RUNNING job (role trainer or admin): it turns CANCELLED at once; a trainer working on it stops at its next epoch ' +
      'boundary. NOT_FOUND for an unknown id, CONFLICT for a job that already finished.',
  })
  async cancelJob(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TrainingJobRow> {
    return cancelTrainingJob(ctx.store.dataSource, await ctx.services.queue(), id);
  }

  @Query(() => JobType, { nullable: true, description: 'One training job by id; null when there is none.' })
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TrainingJobRow | null> {
    return findTrainingJob(ctx.store.dataSource.manager, id);
  }

  @Query(() => JobConnection, {
    description: 'Training jobs matching a filter, newest first, paged by cursor (Relay).',
  })
  async jobs(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => JobFilterInput, { nullable: true }) filter?: JobFilterInput,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<JobConnection> {
    if (first < 0)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `first must be >= 0, got ${first}`, {
        details: { argument: 'first' },
      });
    checkLimit('maxPage', ctx.limits.maxPage, first);
    const afterId = after ? decodeJobCursor(after) : null;
    const f = filter ?? {};
    if (f.space) getSpace(f.space);
    const { datasetId, protocolId } = await resolveFilterNames(ctx, f.dataset, f.protocol);
    const page = await listTrainingJobs(
      ctx.store.dataSource.manager,
      { statuses: f.status, space: f.space, datasetId, protocolId },
      { first, afterId },
    );
    const edges = page.rows.map((row) => ({ cursor: encodeJobCursor(row.id), node: row }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }
}

/** Dataset and protocol ids of a filter's names; UNKNOWN_DATASET / UNKNOWN_PROTOCOL for names not stored. */
async function resolveFilterNames(
  ctx: RequestContext,
  dataset?: string,
  protocol?: string,
): Promise<{ datasetId?: number; protocolId?: number }> {
  const catalog = requestCatalog(ctx);
  const datasetRow = dataset ? await findDataset(catalog, dataset) : undefined;
  const protocolRow = protocol ? await findProtocol(catalog, protocol) : undefined;
  return { datasetId: datasetRow?.id, protocolId: protocolRow?.id };
}
