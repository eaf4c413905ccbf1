import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { METRICS } from '../../core';

/**
 * `Record` fields that a record's kept seed means answer (`loadRecordMeans`): the target's names, the metric means and
 * the training seconds. Not the stds, `seeds`, `n` (the largest per-metric count, which the kept `seed_count` is not
 * when a metric was measured by fewer seeds) or `isPublishedMean` (per metric): those read the runs.
 */
const MEAN_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'dataset',
  'protocol',
  'epoch',
  ...METRICS,
  'trainTimeSeconds',
]);

/**
 * Per field node: whether its selection reads only {@link MEAN_FIELDS}. A node belongs to one parsed document (the
 * server's document cache hands the same one to every request of a query), whose fragments cannot change, so the
 * answer is computed once per node, not once per item of a list.
 */
const onlyMeans = new WeakMap<FieldNode, boolean>();

/**
 * True when every field the `record` field's selection can read is one of {@link MEAN_FIELDS}, through fragments and
 * inline fragments. `@skip`/`@include` are not evaluated: a field that might be read counts, so the answer errs
 * towards reading the runs.
 */
export function selectsOnlyMeans(info: GraphQLResolveInfo): boolean {
  for (const node of info.fieldNodes) if (!nodeSelectsOnlyMeans(node, info.fragments)) return false;
  return true;
}

/** {@link selectsOnlyMeans} of one `record` field node of a document with these fragments. */
export function nodeSelectsOnlyMeans(node: FieldNode, fragments: GraphQLResolveInfo['fragments']): boolean {
  let only = onlyMeans.get(node);
  if (only === undefined) {
    only = node.selectionSet !== undefined && readsOnlyMeans(node.selectionSet, fragments, new Set());
    onlyMeans.set(node, only);
  }
  return only;
}

function readsOnlyMeans(
  set: SelectionSetNode,
  fragments: GraphQLResolveInfo['fragments'],
  visiting: Set<string>,
): boolean {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!MEAN_FIELDS.has(selection.name.value)) return false;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!readsOnlyMeans(selection.selectionSet, fragments, visiting)) return false;
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // Validation has refused unknown and cyclic spreads; a spread seen twice reads nothing new.
      if (!fragment) return false;
      if (visiting.has(name)) continue;
      visiting.add(name);
      if (!readsOnlyMeans(fragment.selectionSet, fragments, visiting)) return false;
    }
  }
  return true;
}
