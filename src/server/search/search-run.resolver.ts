import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ErrorCode, NashubError, getSpace } from '../../core';
import { ApiKeyRole } from '../../store';
import { findSearchRun, listSearchRuns, listSearchTrials, SearchRunStatus } from '../../store/search';
import type { SearchTrialStateValue } from '../../store/search';
import { findDataset } from '../../catalog';
import { parseStrategyName } from '../../search/strategy/strategy-registry';
import type { RequestContext } from '../context.type';
import { checkLimit } from '../limit/limit-exceeded';
import { requestCatalog } from '../record/record-target';
import { ArchitectureNode } from '../architecture/architecture-node';
import { SearchTrialState } from './search-enums';
import {
  CreateSearchRunInput,
  SearchAskType,
  SearchBestType,
  SearchBudgetUsedType,
  SearchRunConnection,
  SearchRunFilterInput,
  SearchRunType,
  SearchTellAndAskType,
  SearchTrajectoryPointType,
  SearchTrialConnection,
  SearchTrialType,
} from './search-run.type';
import type { TrialOfRun } from '../../search/service/search-service';
import { toSearchAskView, toSearchRunView, toSearchTrialView, type SearchRunView } from './search-views';

/** A positive integer id from an `ID` argument; INVALID_ARGUMENT otherwise. */
function parseId(value: string, argument: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647)
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${argument} must be a positive whole number id, got "${value}"`,
      {
        details: { argument },
      },
    );
  return Number(value);
}

/** An opaque cursor of a number. */
function encodeCursor(kind: string, n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64url');
}

function decodeCursor(kind: string, cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = new RegExp(`^${kind}:(-?[0-9]{1,10})$`).exec(text);
  if (!match)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `after is not a ${kind} cursor`, {
      details: { argument: 'after' },
    });
  return Number(match[1]);
}

function checkFirst(ctx: RequestContext, first: number): void {
  if (first < 0)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `first must be >= 0, got ${first}`, {
      details: { argument: 'first' },
    });
  checkLimit('maxPage', ctx.limits.maxPage, first);
}

/** Search runs as a service: create, ask, tell, read (issue 15). */
@Resolver(() => SearchRunType)
export class SearchRunResolver {
  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchRunType, {
    description:
      'Creates a RUNNING search run (role trainer or admin). Errors: UNKNOWN_STRATEGY, UNKNOWN_PRESET, UNKNOWN_SPACE, UNKNOWN_DATASET, ' +
      'UNKNOWN_PROTOCOL, DATA_NOT_IMPORTED (a preset whose data is missing; a TABLE run without records or, for a time budget, training ' +
      'times), INVALID_ARGUMENT (budgets, seed, lease, strategy options, TRAINING on a space the trainer cannot build).',
  })
  async createSearchRun(
    @Arg('input', () => CreateSearchRunInput) input: CreateSearchRunInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SearchRunView> {
    const row = await ctx.services.search.createRun({
      preset: input.preset ?? undefined,
      space: input.space ?? undefined,
      dataset: input.dataset ?? undefined,
      protocol: input.protocol ?? undefined,
      strategy: input.strategy,
      strategyOptions: input.strategyOptions ?? undefined,
      budgetSeconds: input.budgetSeconds ?? undefined,
      budgetEvaluations: input.budgetEvaluations ?? undefined,
      seed: input.seed ?? 0,
      mode: input.mode ?? undefined,
      leaseSeconds: input.leaseSeconds ?? undefined,
      createdBy: ctx.auth?.keyName ?? null,
    });
    await ctx.services.searchCreated(row);
    return toSearchRunView(row);
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchAskType, {
    description:
      'Up to n trials (1 to 64) for this worker (role trainer or admin): expired trials asked again first, then the strategy’s ' +
      'suggestions, each leased to the worker. No trial is ever given to two workers. An empty list with finished false means others ' +
      'are still evaluating: ask again after retryAfterSeconds. NOT_FOUND for an unknown run.',
  })
  async ask(
    @Arg('run', () => ID) run: string,
    @Arg('worker') worker: string,
    @Arg('n', () => Int, { defaultValue: 1 }) n: number,
    @Ctx() ctx: RequestContext,
  ): Promise<SearchAskType> {
    return toSearchAskView(await ctx.services.search.ask(parseId(run, 'run'), worker, n));
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchTrialType, {
    description:
      'Marks the worker’s trial RUNNING and renews its lease (role trainer or admin). CONFLICT for a trial that is another worker’s, ' +
      'told, failed or expired, or whose run is over.',
  })
  async heartbeat(
    @Arg('trial', () => ID) trial: string,
    @Arg('worker') worker: string,
    @Ctx() ctx: RequestContext,
  ): Promise<SearchTrialType> {
    return this.view(await ctx.services.search.heartbeat(parseId(trial, 'trial'), worker));
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchTrialType, {
    description:
      'Tells a trial’s result (role trainer or admin) and the strategy learns it. Idempotent: the same value again returns the trial ' +
      'unchanged; a different value is CONFLICT. Errors: NOT_FOUND, CONFLICT (another worker’s, expired or failed trial, a run that is ' +
      'over), INVALID_ARGUMENT (a value or curve value that is not finite or outside the metric’s scale — accuracy in [0, 100] —, a ' +
      'negative cost, a TABLE trial told a value other than its record’s).',
  })
  async tell(
    @Arg('trial', () => ID) trial: string,
    @Arg('worker') worker: string,
    @Arg('value', () => Float) value: number,
    @Ctx() ctx: RequestContext,
    @Arg('cost', () => Float, { nullable: true }) cost?: number | null,
    @Arg('curve', () => [Float], { nullable: true }) curve?: number[] | null,
  ): Promise<SearchTrialType> {
    checkLimit('maxArchs', Math.max(ctx.limits.maxArchs, 10_000), curve?.length ?? 0);
    return this.view(
      await ctx.services.search.tell(parseId(trial, 'trial'), worker, {
        value,
        cost: cost ?? null,
        curve: curve ?? null,
      }),
    );
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchTellAndAskType, {
    description:
      'Tells a trial’s result and asks for the worker’s next n trials (1 to 64) in one step (role trainer or admin): what a worker ' +
      'does between two evaluations, in one round trip. Refused as tell refuses (nothing is asked then; ask on its own); the next ' +
      'trials are answered as ask answers them.',
  })
  async tellAndAsk(
    @Arg('trial', () => ID) trial: string,
    @Arg('worker') worker: string,
    @Arg('value', () => Float) value: number,
    @Ctx() ctx: RequestContext,
    @Arg('cost', () => Float, { nullable: true }) cost?: number | null,
    @Arg('curve', () => [Float], { nullable: true }) curve?: number[] | null,
    @Arg('n', () => Int, { defaultValue: 1 }) n = 1,
  ): Promise<SearchTellAndAskType> {
    checkLimit('maxArchs', Math.max(ctx.limits.maxArchs, 10_000), curve?.length ?? 0);
    const { told, next } = await ctx.services.search.tellAndAsk(
      parseId(trial, 'trial'),
      worker,
      { value, cost: cost ?? null, curve: curve ?? null },
      n,
    );
    return { told: this.view(told), next: toSearchAskView(next) };
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchTrialType, {
    description:
      'Records that the worker could not evaluate its trial (role trainer or admin): FAILED, never told to the strategy, counted ' +
      'against an evaluation budget. Again on a FAILED trial: no-op. CONFLICT as for tell.',
  })
  async failTrial(
    @Arg('trial', () => ID) trial: string,
    @Arg('worker') worker: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<SearchTrialType> {
    return this.view(await ctx.services.search.fail(parseId(trial, 'trial'), worker, reason));
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => SearchRunType, {
    description:
      'Stops a RUNNING run (role trainer or admin): STOPPED, nothing more is asked or told. A finished run is returned as it is.',
  })
  async stopSearchRun(@Arg('run', () => ID) run: string, @Ctx() ctx: RequestContext): Promise<SearchRunView> {
    return toSearchRunView(await ctx.services.search.stop(parseId(run, 'run')));
  }

  @Query(() => SearchRunType, { nullable: true, description: 'One search run; null when there is none.' })
  async searchRun(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<SearchRunView | null> {
    const runId = parseId(id, 'id');
    let row = await findSearchRun(ctx.store.dataSource.manager, runId);
    if (row?.status === SearchRunStatus.RUNNING) {
      // A run whose workers all died shows its trials EXPIRED.
      await ctx.services.search.expireLapsed(runId);
      row = await findSearchRun(ctx.store.dataSource.manager, runId);
    }
    return row && toSearchRunView(row);
  }

  @Query(() => SearchRunConnection, {
    description: 'Search runs matching a filter, newest first, paged by cursor (Relay).',
  })
  async searchRuns(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => SearchRunFilterInput, { nullable: true }) filter?: SearchRunFilterInput,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<InstanceType<typeof SearchRunConnection>> {
    checkFirst(ctx, first);
    const f = filter ?? {};
    if (f.space) getSpace(f.space);
    // Names are checked before any SQL: UNKNOWN_STRATEGY (a NUL or a stray name never reaches the database).
    const strategy = f.strategy === undefined || f.strategy === null ? undefined : parseStrategyName(f.strategy);
    const dataset = f.dataset ? await findDataset(requestCatalog(ctx), f.dataset) : undefined;
    const page = await listSearchRuns(
      ctx.store.dataSource.manager,
      { statuses: f.status, space: f.space ?? undefined, datasetId: dataset?.id, strategy },
      { first, afterId: after ? decodeCursor('run', after) : null },
    );
    const edges = page.rows.map((row) => ({ cursor: encodeCursor('run', row.id), node: toSearchRunView(row) }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  @FieldResolver(() => SearchBudgetUsedType)
  async budgetUsed(@Root() run: SearchRunView, @Ctx() ctx: RequestContext): Promise<SearchBudgetUsedType> {
    const told = await ctx.loaders.toldTrials.load(run.row.id);
    return { evaluations: told.length, seconds: told.at(-1)?.toldSeconds ?? 0 };
  }

  @FieldResolver(() => SearchBestType, {
    nullable: true,
    description: 'The strategy’s answer now (null before anything was told), its best told value and its final value.',
  })
  async best(@Root() run: SearchRunView, @Ctx() ctx: RequestContext): Promise<SearchBestType | null> {
    const points = await trajectoryOf(run, ctx);
    const last = points.at(-1);
    return last ? { architecture: last.architecture, value: last.value, finalValue: last.finalValue } : null;
  }

  @FieldResolver(() => [SearchTrajectoryPointType], {
    description: 'Where the run’s answer changed: after which told trial (seconds and evaluations so far), to what.',
  })
  trajectory(@Root() run: SearchRunView, @Ctx() ctx: RequestContext): Promise<SearchTrajectoryPointType[]> {
    return trajectoryOf(run, ctx);
  }

  @FieldResolver(() => SearchTrialConnection, { description: 'The run’s trials by number, paged by cursor (Relay).' })
  async trials(
    @Root() run: SearchRunView,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('states', () => [SearchTrialState], { nullable: true }) states?: SearchTrialStateValue[],
  ): Promise<InstanceType<typeof SearchTrialConnection>> {
    checkFirst(ctx, first);
    const page = await listSearchTrials(
      ctx.store.dataSource.manager,
      run.row.id,
      { states },
      { first, afterNumber: after ? decodeCursor('trial', after) : null },
    );
    const edges = page.rows.map((t) => ({
      cursor: encodeCursor('trial', t.number),
      node: toSearchTrialView(run.row, t),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  private view(changed: TrialOfRun): SearchTrialType {
    return toSearchTrialView(changed.run, changed.trial);
  }
}

/** The trajectory from the told trials' stored answers, with final values looked up once. */
async function trajectoryOf(run: SearchRunView, ctx: RequestContext): Promise<SearchTrajectoryPointType[]> {
  const told = await ctx.loaders.toldTrials.load(run.row.id);
  const space = getSpace(run.row.space);
  // Per architecture: its highest fidelity told so far and its best value there (what a multi-fidelity answer means).
  const seen = new Map<string, { fidelity: number; value: number }>();
  const points: Array<{ seconds: number; evaluations: number; arch: string; id: string; value: number }> = [];
  let answerId: string | null = null;
  for (const trial of told) {
    const before = seen.get(trial.archId);
    if (!before || trial.fidelity > before.fidelity)
      seen.set(trial.archId, { fidelity: trial.fidelity, value: trial.value! });
    else if (trial.fidelity === before.fidelity && trial.value! > before.value) before.value = trial.value!;
    if (trial.answerArch === null) continue;
    const id = space.id(space.parse(trial.answerArch));
    if (id !== answerId)
      points.push({
        seconds: trial.toldSeconds ?? 0,
        evaluations: trial.toldIndex!,
        arch: trial.answerArch,
        id,
        value: seen.get(id)?.value ?? Number.NaN,
      });
    answerId = id;
  }
  const finals = await ctx.services.search.finalValues(run.row, [...new Set(points.map((p) => p.id))]);
  return points.map((p) => ({
    seconds: p.seconds,
    evaluations: p.evaluations,
    architecture: ArchitectureNode.fromText(space, p.arch),
    value: p.value,
    finalValue: finals.get(p.id) ?? null,
  }));
}
