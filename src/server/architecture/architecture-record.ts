import type { GraphQLResolveInfo } from 'graphql';
import { METRICS } from '../../core';
import type { RecordResult } from '../../store/record/record';
import type { RequestContext } from '../context.type';
import { resolveRecordTarget, type RecordTarget } from '../record/record-target';
import { selectsOnlyMeans } from '../record/record-selection';
import { prefetchedRecord, toRecordMeansType, type RecordMeansType } from './record-means-view';
import type { RecordType } from '../record/record.type';
import { toSeedChoice, type SeedChoiceInput } from '../record/seed-choice.input';
import type { ArchitectureNode } from './architecture-node';

/** Arguments of `Architecture.record`, as graphql-js coerces them (absent or null when not given). */
export interface ArchitectureRecordArgs {
  dataset: string;
  protocol?: string | null;
  epoch?: number | null;
  seeds?: SeedChoiceInput | null;
}

/**
 * `Architecture.record`: the record of (architecture, dataset, protocol, epoch) under a seed choice, null when not
 * measured or not stored. It runs once per item of a list, so it makes one promise (the record loader's, chained) once
 * the request has resolved its target. MEAN at the protocol's last epoch, when the selection reads only values, reads
 * the store's kept seed means (one narrow row per architecture) instead of the runs: the same values, to the bit; the
 * items of an `architectures` list find them read ahead for the whole list (`prefetchRecordMeans`), with no promise.
 */
export function architectureRecord(
  node: ArchitectureNode,
  args: ArchitectureRecordArgs,
  ctx: RequestContext,
  info: GraphQLResolveInfo,
): RecordType | RecordMeansType | null | Promise<RecordType | RecordMeansType | null> {
  const ahead = prefetchedRecord(ctx, info, node);
  if (ahead !== undefined) return ahead;
  const choice = toSeedChoice(args.seeds ?? undefined);
  const target = resolveRecordTarget(ctx, {
    space: node.space.name,
    dataset: args.dataset,
    protocol: args.protocol,
    epoch: args.epoch,
  });
  const meansOnly = choice.mode === 'MEAN' && selectsOnlyMeans(info);
  const read = (t: RecordTarget): Promise<RecordType | RecordMeansType | null> =>
    meansOnly && t.epoch === t.protocol.epochs
      ? ctx.loaders.recordMeans
          .load({ space: node.space.name, hash: node.hash, datasetId: t.dataset.id, protocolId: t.protocol.id })
          .then((means) => means && toRecordMeansType(means, t))
      : readRuns(t);
  const readRuns = (t: RecordTarget): Promise<RecordType | null> =>
    ctx.loaders.record
      .load({
        space: node.space.name,
        hash: node.hash,
        datasetId: t.dataset.id,
        protocolId: t.protocol.id,
        epoch: t.epoch,
        lastEpoch: t.protocol.epochs,
        choice,
      })
      .then((result) => result && toRecordType(result, t.dataset.name, t.protocol.name));
  return target instanceof Promise ? target.then(read) : read(target);
}

/** Flattens a store record into the GraphQL Record shape. */
export function toRecordType(result: RecordResult, dataset: string, protocol: string): RecordType {
  const v = result.values;
  let n: number | null = null;
  for (const metric of METRICS) {
    const metricN = v[metric]?.n;
    if (metricN != null && (n === null || metricN > n)) n = metricN;
  }
  return {
    dataset,
    protocol,
    epoch: result.epoch,
    seeds: result.seeds,
    n,
    isPublishedMean: result.isPublishedMean,
    trainAcc: v.trainAcc?.mean ?? null,
    trainAccStd: v.trainAcc?.std ?? null,
    validAcc: v.validAcc?.mean ?? null,
    validAccStd: v.validAcc?.std ?? null,
    testAcc: v.testAcc?.mean ?? null,
    testAccStd: v.testAcc?.std ?? null,
    trainLoss: v.trainLoss?.mean ?? null,
    validLoss: v.validLoss?.mean ?? null,
    testLoss: v.testLoss?.mean ?? null,
    trainTimeSeconds: result.trainSeconds,
  };
}
