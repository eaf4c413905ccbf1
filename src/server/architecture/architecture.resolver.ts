import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Float, ID, Info, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.type';
import { CurveType } from '../record/curve.type';
import { EstimateSource, EstimateType } from '../record/estimate.type';
import type { MetricName } from '../../core';
import { StoredPredictorKind, type StoredPredictorKindValue } from '../../predictors/stored-predictor-kind';
import { Metric } from '../record/metric.enum';
import { resolveRecordTarget } from '../record/record-target';
import { RecordType } from '../record/record.type';
import { architectureRecord } from './architecture-record';
import { SeedChoiceInput } from '../record/seed-choice.input';
import { ArchitectureNode } from './architecture-node';
import { ArchitectureType, ExternalIdType } from './architecture.type';
import { predictArchitecture } from '../predictor/predict-architecture';
import { PredictionType } from '../predictor/predictor.type';
import { toPredictorType } from '../predictor/to-predictor-type';
import { CurveForecastType } from '../extrapolate/curve-forecast.type';
import { CurveScale } from '../../predictor/lce';
import { forecastCurve } from '../extrapolate/forecast-curve';
import { CostUnits } from '../limit/field-costs';
import type { StoredArchitecture } from '../../store/architecture/find-architectures';

/**
 * The architectures of an isomorphism class, parsed once per request: the isomorphs loader returns one row array per
 * class and request, and every member of a class asks for the same class (nb201's largest has 460).
 */
const classNodes = new WeakMap<readonly StoredArchitecture[], ArchitectureNode[]>();

/** Fields of Architecture that compute or read something. */
@Resolver(() => ArchitectureType)
export class ArchitectureResolver {
  @FieldResolver(() => ID, { description: 'Search space name.' })
  space(@Root() node: ArchitectureNode): string {
    return node.space.name;
  }

  @FieldResolver(() => String, { description: 'Isomorphism-class key: functionally identical cells share it.' })
  isoClass(@Root() node: ArchitectureNode): string {
    return node.space.isoClass(node.parsed);
  }

  @FieldResolver(() => Float, {
    description: "Trainable parameters in millions, for the space's default macro (NB201: C=16, N=5, 10 classes).",
  })
  params(@Root() node: ArchitectureNode): number {
    return node.cost.paramsM;
  }

  @FieldResolver(() => Float, {
    description: 'Multiply-accumulates of one forward pass in millions (conv and linear layers), default macro.',
  })
  flops(@Root() node: ArchitectureNode): number {
    return node.cost.flopsM;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the store holds this architecture (any run or import).' })
  async isStored(@Root() node: ArchitectureNode, @Ctx() ctx: RequestContext): Promise<boolean> {
    return (await ctx.loaders.architecture.load(node.loaderKey)) !== null;
  }

  @FieldResolver(() => [ExternalIdType], {
    description: 'Ids in other tables, such as the official NB201 index (scheme nb201-index).',
  })
  async externalIds(@Root() node: ArchitectureNode, @Ctx() ctx: RequestContext): Promise<ExternalIdType[]> {
    const stored = await ctx.loaders.architecture.load(node.loaderKey);
    if (!stored) return [];
    const ids = await ctx.loaders.externalIds.load(stored.id);
    return Object.entries(ids).map(([scheme, id]) => ({ scheme, id }));
  }

  /** Declares the field; the server resolves it with {@link architectureRecord} directly (see direct-resolvers.ts). */
  @FieldResolver(() => RecordType, {
    nullable: true,
    description: 'Measured metrics; null when not measured (never a made-up value).',
  })
  record(
    @Root() node: ArchitectureNode,
    @Ctx() ctx: RequestContext,
    @Arg('dataset', () => String) dataset: string,
    @Arg('protocol', () => String, {
      nullable: true,
      description:
        "Default: the dataset's full-budget protocol (most epochs) among the protocols with records for it in this space.",
    })
    protocol?: string,
    @Arg('epoch', () => Int, { nullable: true, description: "1-based; default: the protocol's last." }) epoch?: number,
    @Arg('seeds', () => SeedChoiceInput, { nullable: true, description: 'Default MEAN.' }) seeds?: SeedChoiceInput,
    @Info() info?: GraphQLResolveInfo,
  ): ReturnType<typeof architectureRecord> {
    return architectureRecord(node, { dataset, protocol, epoch, seeds }, ctx, info!);
  }

  @FieldResolver(() => CurveType, {
    nullable: true,
    description: 'All epochs of one run; without a seed, the published seed-mean curve (or the lowest seed).',
  })
  async curve(
    @Root() node: ArchitectureNode,
    @Ctx() ctx: RequestContext,
    @Arg('dataset', () => String) dataset: string,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
    @Arg('seed', () => Int, { nullable: true }) seed?: number,
  ): Promise<CurveType | null> {
    const [target, stored] = await Promise.all([
      resolveRecordTarget(ctx, { space: node.space.name, dataset, protocol }),
      ctx.loaders.architecture.load(node.loaderKey),
    ]);
    if (!stored) return null;
    const curve = await ctx.loaders.curve.load({
      architectureId: stored.id,
      datasetId: target.dataset.id,
      protocolId: target.protocol.id,
      seed: seed ?? null,
    });
    return curve && { ...curve, dataset: target.dataset.name, protocol: target.protocol.name };
  }

  @FieldResolver(() => [ArchitectureType], { description: 'Other stored architectures of the same isoClass.' })
  async isomorphs(@Root() node: ArchitectureNode, @Ctx() ctx: RequestContext): Promise<ArchitectureNode[]> {
    const isoClass = node.space.isoClass(node.parsed);
    const rows = await ctx.loaders.isomorphs.load(`${node.space.name}\u0000${isoClass}`);
    let nodes = classNodes.get(rows);
    if (!nodes) {
      await ctx.budget.turn(rows.length * CostUnits.PARSE);
      nodes = classNodes.get(rows) ?? rows.map((row) => ArchitectureNode.fromText(node.space, row.arch));
      classNodes.set(rows, nodes);
    }
    return nodes.filter((other) => other.hash !== node.hash);
  }

  @FieldResolver(() => EstimateType, {
    description:
      'The measured value (MEAN over seeds) when a record exists; otherwise the prediction of the serving predictor ' +
      '(PREDICTED, std = its predictive std); otherwise NOT_AVAILABLE.',
  })
  async estimate(
    @Root() node: ArchitectureNode,
    @Ctx() ctx: RequestContext,
    @Arg('dataset', () => String) dataset: string,
    @Arg('metric', () => Metric) metric: MetricName,
    @Arg('epoch', () => Int, { nullable: true }) epoch?: number,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
  ): Promise<EstimateType> {
    const target = await resolveRecordTarget(ctx, { space: node.space.name, dataset, protocol, epoch });
    const base = { metric, dataset: target.dataset.name, protocol: target.protocol.name, epoch: target.epoch };
    const result = await ctx.loaders.record.load({
      space: node.space.name,
      hash: node.hash,
      datasetId: target.dataset.id,
      protocolId: target.protocol.id,
      epoch: target.epoch,
      lastEpoch: target.protocol.epochs,
      choice: { mode: 'MEAN' },
    });
    const value = result?.values[metric];
    if (value) return { ...base, source: EstimateSource.MEASURED, value: value.mean, std: value.std, n: value.n };
    const predicted = await predictArchitecture(ctx, node, target, metric, {});
    if (predicted)
      return {
        ...base,
        source: EstimateSource.PREDICTED,
        value: predicted.value.mean,
        std: predicted.value.std,
        n: null,
      };
    return { ...base, source: EstimateSource.NOT_AVAILABLE, value: null, std: null, n: null };
  }

  @FieldResolver(() => PredictionType, {
    nullable: true,
    description:
      "A surrogate predictor's estimate (null when no READY or STALE predictor exists for the target). Without `kind` " +
      'or `predictor`, the newest version of the kind with the best held-out Kendall tau serves. Batched: one forward ' +
      'pass per predictor and 1,000 architectures of a request, or the prediction cache of enumerable spaces.',
  })
  async prediction(
    @Root() node: ArchitectureNode,
    @Ctx() ctx: RequestContext,
    @Arg('dataset', () => String) dataset: string,
    @Arg('metric', () => Metric) metric: MetricName,
    @Arg('epoch', () => Int, { nullable: true }) epoch?: number,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
    @Arg('kind', () => StoredPredictorKind, { nullable: true }) kind?: StoredPredictorKindValue,
    @Arg('predictor', () => ID, { nullable: true, description: 'One predictor version by id.' }) predictorId?: string,
  ): Promise<PredictionType | null> {
    const target = await resolveRecordTarget(ctx, { space: node.space.name, dataset, protocol, epoch });
    const predicted = await predictArchitecture(ctx, node, target, metric, { kind, predictorId });
    if (!predicted) return null;
    return {
      mean: predicted.value.mean,
      std: predicted.value.std,
      predictor: toPredictorType(predicted.predictor, await ctx.loaders.catalog()),
    };
  }

  @FieldResolver(() => CurveForecastType, {
    nullable: true,
    description:
      "Forecast of this architecture's stored (partial) curve of a metric at targetEpoch (default: the protocol's " +
      'last), as `extrapolate` makes it: the stored LCE extrapolator of the target when one is fitted, else the ' +
      'parametric ensemble. The curve is read up to its first missing epoch. null when no curve is stored, or when it ' +
      'already reaches targetEpoch. Batched: one curve query per request; models load once per process.',
  })
  async curveForecast(
    @Root() node: ArchitectureNode,
    @Ctx() ctx: RequestContext,
    @Arg('dataset', () => String) dataset: string,
    @Arg('protocol', () => String, { nullable: true }) protocol?: string,
    @Arg('seed', () => Int, {
      nullable: true,
      description: "A seed's run; default the seed-mean curve, else the lowest seed.",
    })
    seed?: number,
    @Arg('targetEpoch', () => Int, { nullable: true }) targetEpoch?: number,
    @Arg('metric', () => Metric, { defaultValue: Metric.VALID_ACC }) metric: MetricName = Metric.VALID_ACC,
  ): Promise<CurveForecastType | null> {
    const [target, stored] = await Promise.all([
      resolveRecordTarget(ctx, { space: node.space.name, dataset, protocol }),
      ctx.loaders.architecture.load(node.loaderKey),
    ]);
    if (!stored) return null;
    const curve = await ctx.loaders.curve.load({
      architectureId: stored.id,
      datasetId: target.dataset.id,
      protocolId: target.protocol.id,
      seed: seed ?? null,
    });
    if (!curve) return null;
    const series = curve[metric];
    const firstMissing = series.findIndex((v) => v === null);
    const observed = (firstMissing === -1 ? series : series.slice(0, firstMissing)) as number[];
    const epoch = targetEpoch ?? target.protocol.epochs;
    if (observed.length === 0 || observed.length >= epoch) return null;
    ctx.budget.charge(observed.length * CostUnits.CURVE_POINT);
    const trainCurve = curve.trainAcc.slice(0, observed.length);
    const { forecast, predictor, usedTrainCurve } = await forecastCurve(ctx, observed, epoch, CurveScale.PERCENT, {
      space: node.space.name,
      arch: node.arch,
      target,
      metric,
      trainCurve: metric !== 'trainAcc' && trainCurve.every((v) => v !== null) ? (trainCurve as number[]) : null,
    });
    return {
      ...forecast,
      predictor: predictor ? toPredictorType(predictor, await ctx.loaders.catalog()) : null,
      usedTrainCurve,
    };
  }
}
