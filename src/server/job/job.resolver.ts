import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ErrorCode, NashubError, getSpace, isNashubError, echoName } from '../../core';
import { ApiKeyRole } from '../../store';
import {
  cancelTrainingJob,
  findRunsById,
  findTrainingJob,
  listTrainingJobs,
  requestTraining,
  type TrainingArchitecture,
  type TrainingJobRow,
} from '../../store/training';
import type { RequestContext } from '../context.type';
import { checkLimit } from '../limit/limit-exceeded';
import { resolveRecordTarget } from '../record/record-target';
import { ArchitectureNode } from '../architecture/architecture-node';
import { checkNetworkFits, checkTrainable, checkTrainableSpace } from '../../training/check-trainable';
import { JobConnection, JobFilterInput } from './job-connection.type';
import { decodeJobCursor, encodeJobCursor } from './job-cursor';
import { JobType } from './job.type';
import { RequestTrainingArgs } from './request-training.args';
import { TrainingRequestType } from './training-request.type';
import { toRunType } from '../run/to-run-type';

const MAX_SEED = 2 ** 31 - 1;

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
    checkTrainableSpace(space.name);
    const seeds = args.seeds ?? [0];
    if (args.archs.length === 0) throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'archs is empty', { details: { argument: 'archs' } });
    checkLimit('maxArchs', ctx.limits.maxArchs, args.archs.length);
    checkSeeds(seeds);
    checkLimit('maxArchs', ctx.limits.maxArchs, args.archs.length * seeds.length);
    const nodes = args.archs.map((text, index) => parseAt(space.name, text, index));
    const target = await resolveRecordTarget(ctx, { space: space.name, dataset: args.dataset, protocol: args.protocol });
    checkTrainable(target.dataset, target.protocol);
    nodes.forEach((node, index) => checkNetworkFits(space.name, node.parsed, target.protocol, index));

    const architectures: TrainingArchitecture[] = nodes.map((node) => ({
      hash: node.hash,
      arch: node.arch,
      isoClass: space.isoClass(node.parsed),
      paramsM: node.cost.paramsM,
      flopsM: node.cost.flopsM,
    }));
    const queue = await ctx.services.queue();
    const entries = await requestTraining(ctx.store.dataSource, queue, {
      space: space.name,
      architectures,
      datasetId: target.dataset.id,
      protocolId: target.protocol.id,
      totalEpochs: target.protocol.epochs,
      seeds,
      priority: args.priority ?? 0,
      requestedBy: ctx.auth?.keyName ?? null,
    });
    const runs = await findRunsById(ctx.store.dataSource.manager, entries.flatMap((e) => (e.runId === null ? [] : [e.runId])));
    return entries.map((entry, i) => ({
      architecture: nodes[Math.floor(i / seeds.length)],
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

  @Query(() => JobConnection, { description: 'Training jobs matching a filter, newest first, paged by cursor (Relay).' })
  async jobs(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => JobFilterInput, { nullable: true }) filter?: JobFilterInput,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<JobConnection> {
    if (first < 0) throw new NashubError(ErrorCode.INVALID_ARGUMENT, `first must be >= 0, got ${first}`, { details: { argument: 'first' } });
    checkLimit('maxPage', ctx.limits.maxPage, first);
    const afterId = after ? decodeJobCursor(after) : null;
    const f = filter ?? {};
    if (f.space) getSpace(f.space);
    const { datasetId, protocolId } = await resolveFilterNames(ctx, f.dataset, f.protocol);
    const page = await listTrainingJobs(ctx.store.dataSource.manager, { statuses: f.status, space: f.space, datasetId, protocolId }, { first, afterId });
    const edges = page.rows.map((row) => ({ cursor: encodeJobCursor(row.id), node: row }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
  }
}

/** Dataset and protocol ids of a filter's names; UNKNOWN_DATASET / UNKNOWN_PROTOCOL for names not stored. */
async function resolveFilterNames(ctx: RequestContext, dataset?: string, protocol?: string): Promise<{ datasetId?: number; protocolId?: number }> {
  let catalog = await ctx.loaders.catalog();
  if ((dataset && !catalog.datasetByName.has(dataset)) || (protocol && !catalog.protocolByName.has(protocol))) catalog = await ctx.loaders.refreshCatalog();
  const datasetRow = dataset ? catalog.datasetByName.get(dataset) : undefined;
  if (dataset && !datasetRow) throw new NashubError(ErrorCode.UNKNOWN_DATASET, `unknown dataset "${echoName(dataset)}"`, { details: { dataset: echoName(dataset) } });
  const protocolRow = protocol ? catalog.protocolByName.get(protocol) : undefined;
  if (protocol && !protocolRow) throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, `unknown protocol "${echoName(protocol)}"`, { details: { protocol: echoName(protocol) } });
  return { datasetId: datasetRow?.id, protocolId: protocolRow?.id };
}

/** Parses the i-th architecture; INVALID_ARCHITECTURE names the index. */
function parseAt(spaceName: string, text: string, index: number): ArchitectureNode {
  try {
    return ArchitectureNode.fromText(getSpace(spaceName), text);
  } catch (error) {
    if (!isNashubError(error)) throw error;
    throw new NashubError(error.code, `archs[${index}]: ${error.message}`, { details: { ...error.details, index }, cause: error });
  }
}

function checkSeeds(seeds: readonly number[]): void {
  if (seeds.length === 0) throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'seeds is empty; omit it for seed 0', { details: { argument: 'seeds' } });
  seeds.forEach((seed, index) => {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `seeds[${index}] must be in 0..${MAX_SEED}, got ${seed}`, { details: { argument: 'seeds', index, value: seed } });
    }
  });
  if (new Set(seeds).size !== seeds.length) throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'seeds has duplicates', { details: { argument: 'seeds' } });
}
