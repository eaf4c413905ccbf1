import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { ErrorCode, NameProblem, NashubError, getSpace, echoName, type MetricName } from '../../core';
import { listRuns } from '../../store/run/list-runs';
import { topArchitectures } from '../../store/run/top-architectures';
import { ArchitectureNode } from '../architecture/architecture-node';
import type { RequestContext } from '../context.type';
import { checkLimit } from '../limit/limit-exceeded';
import { EstimateSource } from '../record/estimate.type';
import { Metric } from '../record/metric.enum';
import { resolveRecordTarget } from '../record/record-target';
import { TopEntryType } from './top-entry.type';
import { TopSourceEnum } from './top-source.enum';
import { toRunType } from './to-run-type';
import { servingPredictor } from '../predictor/predict-architecture';
import { hasPredictions, topPredictions } from '../../store/predictor';
import { METRIC_COLUMNS } from '../../store/record/run-values';
import type { RecordTarget } from '../record/record-target';
import { RunConnection, RunFilterInput } from './run.type';
import { decodeRunCursor, encodeRunCursor } from './run-cursor';

/** Runs listing and rankings. */
@Resolver()
export class RunResolver {
  @Query(() => [TopEntryType], {
    description:
      "The k best architectures by a metric at the protocol's last epoch. MEASURED (default): stored records (seed " +
      'means). PREDICTED: the whole space ranked by the serving predictor (enumerable spaces). ANY: measured values ' +
      'where records exist, predictions for the rest. Each entry says its source.',
  })
  async top(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) spaceName: string,
    @Arg('dataset', () => String) dataset: string,
    @Arg('metric', () => Metric) metric: MetricName,
    @Arg('k', () => Int) k: number,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
    @Arg('source', () => TopSourceEnum, { nullable: true, defaultValue: TopSourceEnum.MEASURED })
    source: TopSourceEnum = TopSourceEnum.MEASURED,
  ): Promise<TopEntryType[]> {
    const space = getSpace(spaceName);
    if (k < 1)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `k must be >= 1, got ${k}`, { details: { argument: 'k' } });
    checkLimit('maxTop', ctx.limits.maxTop, k);
    const target = await resolveRecordTarget(ctx, { space: space.name, dataset, protocol });
    const base = {
      metric,
      dataset: target.dataset.name,
      protocol: target.protocol.name,
      epoch: target.protocol.epochs,
    };
    const measured = async () =>
      (
        await topArchitectures(ctx.store.dataSource.manager, {
          space: space.name,
          datasetId: target.dataset.id,
          protocolId: target.protocol.id,
          metric: metric,
          k,
        })
      ).map((row) => ({
        arch: row.arch,
        estimate: { ...base, source: EstimateSource.MEASURED, value: row.value, std: row.std, n: row.n },
      }));
    const lowerIsBetter = metric.endsWith('Loss');
    let entries: Array<{ arch: string; estimate: TopEntryType['estimate'] }>;
    if (source === TopSourceEnum.MEASURED) {
      entries = await measured();
    } else {
      const predicted = await this.predictedTop(
        ctx,
        space.name,
        space.size !== null,
        target,
        metric,
        k,
        lowerIsBetter,
        source === TopSourceEnum.ANY,
      );
      const fromPredictor = predicted.map((p) => ({
        arch: p.arch,
        estimate: { ...base, source: EstimateSource.PREDICTED, value: p.mean, std: p.std, n: null },
      }));
      entries = source === TopSourceEnum.PREDICTED ? fromPredictor : [...(await measured()), ...fromPredictor];
      entries.sort((a, b) =>
        lowerIsBetter ? a.estimate.value! - b.estimate.value! : b.estimate.value! - a.estimate.value!,
      );
      entries = entries.slice(0, k);
    }
    return entries.map((e, i) => ({
      rank: i + 1,
      architecture: ArchitectureNode.fromText(space, e.arch),
      estimate: e.estimate,
    }));
  }

  /** The k best predictions of the serving predictor's cache (ANY: of architectures without a record). */
  private async predictedTop(
    ctx: RequestContext,
    space: string,
    enumerable: boolean,
    target: RecordTarget,
    metric: MetricName,
    k: number,
    lowerIsBetter: boolean,
    unmeasuredOnly: boolean,
  ) {
    if (!enumerable) {
      throw new NashubError(
        ErrorCode.NOT_ENUMERABLE,
        `space ${space} cannot be enumerated, so top by prediction cannot rank it whole; ask estimate/prediction for candidates instead`,
        { details: { space } },
      );
    }
    const predictor = await servingPredictor(ctx, space, target, metric, {});
    if (!predictor) {
      throw new NashubError(
        ErrorCode.NOT_FOUND,
        `no READY predictor of ${metric} for ${space} on ${target.dataset.name} / ${target.protocol.name}; fit one with fitPredictor`,
        {
          details: { space, dataset: target.dataset.name, protocol: target.protocol.name },
        },
      );
    }
    const manager = ctx.store.dataSource.manager;
    if (!(await hasPredictions(manager, predictor.id))) {
      throw new NashubError(
        ErrorCode.NOT_FOUND,
        `predictor ${predictor.id} has no cached predictions of the whole space`,
        { details: { predictor: predictor.id } },
      );
    }
    return topPredictions(manager, {
      predictorId: predictor.id,
      k,
      lowerIsBetter,
      excludeMeasured: unmeasuredOnly
        ? { space, datasetId: target.dataset.id, protocolId: target.protocol.id, column: METRIC_COLUMNS[metric] }
        : undefined,
    });
  }

  @Query(() => RunConnection, { description: 'Runs matching a filter, paged by cursor (Relay), oldest first.' })
  async runs(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => RunFilterInput, { nullable: true }) filter?: RunFilterInput,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<RunConnection> {
    if (first < 0)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `first must be >= 0, got ${first}`, {
        details: { argument: 'first' },
      });
    checkLimit('maxPage', ctx.limits.maxPage, first);
    const afterId = after ? decodeRunCursor(after) : null;
    const f = filter ?? {};
    // An empty name matches nothing and is most likely a bug of the caller: the same typed error for every name field.
    for (const field of ['space', 'dataset', 'protocol', 'arch'] as const) {
      if (f[field] === '') {
        throw new NashubError(
          ErrorCode.INVALID_ARGUMENT,
          `filter.${field} is empty; leave it out to match every ${field}`,
          { details: { field: `filter.${field}`, reason: NameProblem.EMPTY } },
        );
      }
    }
    let catalog = await ctx.loaders.catalog();
    if (f.protocol && !catalog.protocolByName.has(f.protocol)) catalog = await ctx.loaders.refreshCatalog();
    let architectureId: number | undefined;
    if (f.arch !== undefined && f.arch !== null) {
      if (!f.space)
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'filter.arch needs filter.space', {
          details: { argument: 'filter.space' },
        });
      const node = ArchitectureNode.fromText(getSpace(f.space), f.arch);
      const stored = await ctx.loaders.architecture.load(node.loaderKey);
      if (!stored) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
      architectureId = stored.id;
    }
    if (f.space) getSpace(f.space);
    const datasetId = f.dataset
      ? (await resolveRecordTarget(ctx, { space: f.space ?? null, dataset: f.dataset, protocol: f.protocol })).dataset
          .id
      : undefined;
    const protocolId = f.protocol ? catalog.protocolByName.get(f.protocol)?.id : undefined;
    if (f.protocol && protocolId === undefined)
      throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, `unknown protocol "${echoName(f.protocol)}"`, {
        details: { protocol: echoName(f.protocol) },
      });
    const page = await listRuns(
      ctx.store.dataSource.manager,
      { space: f.space, datasetId, protocolId, source: f.source, architectureId, seed: f.seed },
      { first, afterId },
    );
    const edges = page.rows.map((row) => ({
      cursor: encodeRunCursor(row.id),
      node: toRunType(row),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }
}
