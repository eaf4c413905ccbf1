import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { ErrorCode, NashubError, getSpace } from '../../core';
import { listRuns } from '../../store/run/list-runs';
import { topArchitectures } from '../../store/run/top-architectures';
import { ArchitectureNode } from '../architecture/architecture-node';
import type { RequestContext } from '../context.type';
import { checkLimit } from '../limit/limit-exceeded';
import { EstimateSource } from '../record/estimate.type';
import { MetricEnum, toMetricName } from '../record/metric.enum';
import { resolveRecordTarget } from '../record/record-target';
import { TopEntryType } from './top-entry.type';
import { RunConnection, RunFilterInput, type RunSourceEnum } from './run.type';
import { decodeRunCursor, encodeRunCursor } from './run-cursor';

/** Runs listing and rankings. */
@Resolver()
export class RunResolver {
  @Query(() => [TopEntryType], { description: "The k best stored architectures by a metric's seed mean at the protocol's last epoch." })
  async top(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) spaceName: string,
    @Arg('dataset', () => String) dataset: string,
    @Arg('metric', () => MetricEnum) metric: MetricEnum,
    @Arg('k', () => Int) k: number,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
  ): Promise<TopEntryType[]> {
    const space = getSpace(spaceName);
    if (k < 1) throw new NashubError(ErrorCode.INVALID_ARGUMENT, `k must be >= 1, got ${k}`, { details: { argument: 'k' } });
    checkLimit('maxTop', ctx.limits.maxTop, k);
    const target = await resolveRecordTarget(ctx, { dataset, protocol });
    const rows = await topArchitectures(ctx.store.dataSource.manager, { space: space.name, datasetId: target.dataset.id, protocolId: target.protocol.id, metric: toMetricName(metric), k });
    return rows.map((row, i) => ({
      rank: i + 1,
      architecture: ArchitectureNode.fromText(space, row.arch),
      estimate: { metric, dataset: target.dataset.name, protocol: target.protocol.name, epoch: target.protocol.epochs, source: EstimateSource.MEASURED, value: row.value, std: row.std, n: row.n },
    }));
  }

  @Query(() => RunConnection, { description: 'Runs matching a filter, paged by cursor (Relay), oldest first.' })
  async runs(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => RunFilterInput, { nullable: true }) filter?: RunFilterInput,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<RunConnection> {
    if (first < 0) throw new NashubError(ErrorCode.INVALID_ARGUMENT, `first must be >= 0, got ${first}`, { details: { argument: 'first' } });
    checkLimit('maxPage', ctx.limits.maxPage, first);
    const afterId = after ? decodeRunCursor(after) : null;
    const f = filter ?? {};
    let catalog = await ctx.loaders.catalog();
    if (f.protocol && !catalog.protocolByName.has(f.protocol)) catalog = await ctx.loaders.refreshCatalog();
    let architectureId: number | undefined;
    if (f.arch !== undefined && f.arch !== null) {
      if (!f.space) throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'filter.arch needs filter.space', { details: { argument: 'filter.space' } });
      const node = ArchitectureNode.fromText(getSpace(f.space), f.arch);
      const stored = await ctx.loaders.architecture.load(node.loaderKey);
      if (!stored) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
      architectureId = stored.id;
    }
    if (f.space) getSpace(f.space);
    const datasetId = f.dataset ? (await resolveRecordTarget(ctx, { dataset: f.dataset, protocol: f.protocol })).dataset.id : undefined;
    const protocolId = f.protocol ? catalog.protocolByName.get(f.protocol)?.id : undefined;
    if (f.protocol && protocolId === undefined) throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, `unknown protocol "${f.protocol}"`, { details: { protocol: f.protocol } });
    const page = await listRuns(ctx.store.dataSource.manager, { space: f.space, datasetId, protocolId, source: f.source as RunSourceEnum | undefined, architectureId, seed: f.seed }, { first, afterId });
    const edges = page.rows.map((row) => ({
      cursor: encodeRunCursor(row.id),
      node: {
        id: String(row.id),
        architecture: ArchitectureNode.fromText(getSpace(row.space), row.arch),
        dataset: row.dataset,
        protocol: row.protocol,
        seed: row.seed,
        seedCount: row.seedCount,
        source: row.source as RunSourceEnum,
        status: row.status,
        ...row.values,
        trainTimeSeconds: row.trainSeconds,
      },
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
  }
}
