import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { RecordMeans } from '../../store/record/load-record-means';
import type { RequestContext } from '../context.type';
import type { RecordTarget } from '../record/record-target';
import { selectsOnlyMeans } from '../record/record-selection';
import type { RecordType } from '../record/record.type';
import type { ArchitectureNode } from './architecture-node';

/** The `Record` fields a record's kept seed means answer (see `selectsOnlyMeans`); the others are not read. */
export type RecordMeansType = Pick<
  RecordType,
  | 'dataset'
  | 'protocol'
  | 'epoch'
  | 'trainAcc'
  | 'validAcc'
  | 'testAcc'
  | 'trainLoss'
  | 'validLoss'
  | 'testLoss'
  | 'trainTimeSeconds'
>;

/** A record's kept seed means in the GraphQL Record shape (its fields that they answer). */
export function toRecordMeansType(means: RecordMeans, t: RecordTarget): RecordMeansType {
  return {
    dataset: t.dataset.name,
    protocol: t.protocol.name,
    epoch: t.epoch,
    trainAcc: means.trainAcc,
    validAcc: means.validAcc,
    testAcc: means.testAcc,
    trainLoss: means.trainLoss,
    validLoss: means.validLoss,
    testLoss: means.testLoss,
    trainTimeSeconds: means.trainSeconds,
  };
}

/** Records read ahead for a request (by its loaders): by `record` field node, then by item. */
const prefetched = new WeakMap<
  RequestContext['loaders'],
  Map<FieldNode, Map<ArchitectureNode, RecordMeansType | null>>
>();

/** Keeps the records read ahead for a `record` field node's items, for the rest of the request. */
export function keepPrefetched(
  ctx: RequestContext,
  field: FieldNode,
  values: Map<ArchitectureNode, RecordMeansType | null>,
): void {
  let byField = prefetched.get(ctx.loaders);
  if (!byField) prefetched.set(ctx.loaders, (byField = new Map()));
  byField.set(field, values);
}

/**
 * The record read ahead for this item and field (`prefetchRecordMeans`), or undefined when none was (the field then
 * resolves through the loaders). Fields merged with others under one response key count only if every one of them
 * reads only means (they have the same arguments: graphql-js's validation).
 */
export function prefetchedRecord(
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  node: ArchitectureNode,
): RecordMeansType | null | undefined {
  const values = prefetched.get(ctx.loaders)?.get(info.fieldNodes[0]);
  if (!values || !selectsOnlyMeans(info)) return undefined;
  return values.get(node);
}
