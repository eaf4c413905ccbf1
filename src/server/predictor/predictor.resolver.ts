import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { getSpace, type MetricName } from '../../core';
import {
  StoredPredictorKind,
  requestPredictorFit,
  resolveFitRequest,
  type StoredPredictorKindValue,
} from '../../predictors';
import { ApiKeyRole } from '../../store';
import { packageVersion } from '../../store/package-version';
import { failAbandonedFits, listPredictors } from '../../store/predictor';
import type { RequestContext } from '../context.type';
import { Metric } from '../record/metric.enum';
import { PredictorType } from './predictor.type';
import { toPredictorType } from './to-predictor-type';
import { findDataset } from '../../catalog';
import { requestCatalog } from '../record/record-target';

/** Predictor versions: list, read, and fit (as a queued job). */
@Resolver()
export class PredictorResolver {
  @Query(() => [PredictorType], {
    description: 'Predictor versions of a space (optionally one dataset), newest first.',
  })
  async predictors(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) space: string,
    @Arg('dataset', () => String, { nullable: true }) dataset?: string,
  ): Promise<PredictorType[]> {
    getSpace(space);
    const datasetId = dataset != null ? (await findDataset(requestCatalog(ctx), dataset)).id : undefined;
    let catalog = await ctx.loaders.catalog();
    // A fit whose process died (or whose queue job was given up) shows as FAILED, not TRAINING forever; usually one
    // UPDATE and one SELECT that find nothing.
    await failAbandonedFits(ctx.store.dataSource.manager);
    const rows = await listPredictors(ctx.store.dataSource.manager, { space, datasetId });
    if (rows.some((r) => !catalog.protocols.some((p) => p.id === r.protocolId)))
      catalog = await ctx.loaders.refreshCatalog();
    return rows.map((r) => toPredictorType(r, catalog));
  }

  @Query(() => PredictorType, { nullable: true, description: 'One predictor version, or null.' })
  async predictor(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<PredictorType | null> {
    const n = Number(id);
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) return null;
    const row = await ctx.loaders.predictorById.load(n);
    if (!row) return null;
    let catalog = await ctx.loaders.catalog();
    if (
      !catalog.protocols.some((p) => p.id === row.protocolId) ||
      !catalog.datasets.some((d) => d.id === row.datasetId)
    )
      catalog = await ctx.loaders.refreshCatalog();
    return toPredictorType(row, catalog);
  }

  @Authorized(ApiKeyRole.TRAINER)
  @Mutation(() => PredictorType, {
    description:
      'Queues a fit of a new predictor version on the stored records (role trainer or admin). Returns it TRAINING; a ' +
      'worker (`nashub worker`, or the one `npm start` runs) fits it; poll `predictor(id)` for status and progress.',
  })
  async fitPredictor(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) space: string,
    @Arg('dataset', () => String) dataset: string,
    @Arg('metric', () => Metric) metric: MetricName,
    @Arg('kind', () => StoredPredictorKind) kind: StoredPredictorKindValue,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
    @Arg('epoch', () => Int, { nullable: true }) epoch?: number,
    @Arg('trainSize', () => Int, { nullable: true, description: 'Fit on a seeded random subset of this many records.' })
    trainSize?: number,
    @Arg('seed', () => Int, { nullable: true }) seed?: number,
  ): Promise<PredictorType> {
    const manager = ctx.store.dataSource.manager;
    const request = await resolveFitRequest(
      manager,
      { space, dataset, protocol, metric, epoch, kind, trainSize, seed },
      packageVersion(),
    );
    const queue = await ctx.services.queue();
    const row = await requestPredictorFit(ctx.store.dataSource, queue, request);
    return toPredictorType(row, await ctx.loaders.refreshCatalog());
  }
}
