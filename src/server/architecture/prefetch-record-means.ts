import {
  getArgumentValues,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { invariant } from '../../core';
import type { RequestContext } from '../context.type';
import { resolveRecordTarget, type RecordTarget } from '../record/record-target';
import { nodeSelectsOnlyMeans } from '../record/record-selection';
import { toSeedChoice } from '../record/seed-choice.input';
import type { ArchitectureRecordArgs } from './architecture-record';
import { ArchitectureNode } from './architecture-node';
import { keepPrefetched, toRecordMeansType, type RecordMeansType } from './record-means-view';

/**
 * Reads ahead, for the items of an `architectures` list, the `record` fields that its selection asks for and the kept
 * seed means answer (MEAN at the protocol's last epoch, values only: see `selectsOnlyMeans`): one `loadRecordMeans`
 * read per such field for the whole list, so each item's `record` resolves at once, with no promise of its own (a
 * loader's promise, its `then`, and graphql-js's promise for the item object are most of a 1,000-item list's
 * allocation). The same statements as the record loader would send; fields it cannot read ahead resolve per item.
 */
export async function prefetchRecordMeans(
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  items: ReadonlyArray<ArchitectureNode | Error>,
): Promise<void> {
  const fields = recordFieldsOf(info);
  if (fields.length === 0) return;
  const nodes = items.filter((item): item is ArchitectureNode => item instanceof ArchitectureNode);
  if (nodes.length === 0) return;
  const type = info.schema.getType('Architecture');
  invariant(isObjectType(type), 'prefetchRecordMeans: Architecture is not an object type');
  const recordField = type.getFields().record;
  // Fields of one dataset and protocol (aliases, fragments) share one read.
  const read = new Map<string, Map<ArchitectureNode, RecordMeansType | null>>();
  for (const field of fields) {
    const target = await targetOf(ctx, info, recordField, field, nodes[0].space.name);
    if (!target) continue;
    const key = `${target.dataset.id}:${target.protocol.id}`;
    const known = read.get(key);
    if (known) {
      keepPrefetched(ctx, field, known);
      continue;
    }
    const means = await ctx.loaders.recordMeansMany(
      nodes.map((node) => ({
        space: node.space.name,
        hash: node.hash,
        datasetId: target.dataset.id,
        protocolId: target.protocol.id,
      })),
    );
    const values = new Map<ArchitectureNode, RecordMeansType | null>();
    nodes.forEach((node, i) => {
      const found = means[i];
      values.set(node, found && toRecordMeansType(found, target));
    });
    read.set(key, values);
    keepPrefetched(ctx, field, values);
  }
}

/**
 * The target of a `record` field whose seed choice is MEAN at the protocol's last epoch, or null. Arguments or targets
 * that fail (a bad seed choice, an unknown dataset) are not read ahead: each item's resolver then raises the error,
 * at its own path, as it would without this read.
 */
async function targetOf(
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  recordField: GraphQLField<unknown, unknown>,
  field: FieldNode,
  space: string,
): Promise<RecordTarget | null> {
  try {
    const args = getArgumentValues(recordField, field, info.variableValues) as unknown as ArchitectureRecordArgs;
    if (toSeedChoice(args.seeds ?? undefined).mode !== 'MEAN') return null;
    const target = await resolveRecordTarget(ctx, {
      space,
      dataset: args.dataset,
      protocol: args.protocol,
      epoch: args.epoch,
    });
    return target.epoch === target.protocol.epochs ? target : null;
  } catch {
    return null; // reported per item, see above
  }
}

/** The `record` fields without directives, reading only means, among the item selections of the list's field nodes. */
function recordFieldsOf(info: GraphQLResolveInfo): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): void => {
    for (const selection of set?.selections ?? []) {
      // A field or fragment under @skip/@include resolves per item: whether it runs depends on variables.
      if (selection.directives?.length) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === 'record' && nodeSelectsOnlyMeans(selection, info.fragments)) out.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, new Set());
  return out;
}
