import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { FIELD_COSTS, type FieldCost } from './field-costs';
import type { ListSizes } from './list-sizes';

/** Options of {@link queryCost}. */
export interface QueryCostOptions {
  schema: GraphQLSchema;
  /** The operation to cost (already validated). */
  operation: OperationDefinitionNode;
  /** The document's fragments by name. */
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The operation's variables, coerced. */
  variables: Record<string, unknown>;
  /** The list sizes to assume where arguments do not say. */
  sizes: ListSizes;
  /** Costs by `Type.field` (default {@link FIELD_COSTS}). */
  costs?: Readonly<Record<string, FieldCost>>;
}

/** Where a selection sits: the space named on the way down, and the arguments of the field that returned it. */
interface Scope {
  space: string | undefined;
  parentArgs: Record<string, unknown>;
}

/**
 * The work units an operation will cost at most: every field 1, plus its own work (`FIELD_COSTS[].units`), and a list
 * pays its selection once per item, with the list's real length where arguments give it (archs, n, k, first, curve)
 * and a bound from the store, the space or the schema otherwise (isomorphs, curves, introspection). Aliases are
 * separate fields and pay separately. Each fragment is costed once per scope, so fragments spread many times cost
 * nothing extra to compute (the walk is linear in the document), and a cycle, which validation refuses anyway, ends.
 */
export function queryCost(options: QueryCostOptions): number {
  const { schema, fragments, variables, sizes } = options;
  const costs = options.costs ?? FIELD_COSTS;
  const fragmentCosts = new Map<string, number>();
  const active = new Set<string>();

  const included = (node: SelectionNode): boolean => {
    if (!node.directives?.length) return true;
    try {
      if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
      return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
    } catch {
      return true;
    }
  };

  const selectionSetCost = (set: SelectionSetNode, parent: GraphQLNamedType, scope: Scope): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent, scope);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) total += selectionSetCost(selection.selectionSet, type, scope);
      } else {
        total += fragmentCost(selection.name.value, scope);
      }
    }
    return total;
  };

  const fragmentCost = (name: string, scope: Scope): number => {
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !type || active.has(name)) return 0;
    const key = `${name}\u0000${scope.space ?? ''}\u0000${String(scope.parentArgs.first ?? '')}`;
    let cost = fragmentCosts.get(key);
    if (cost === undefined) {
      active.add(name);
      cost = selectionSetCost(fragment.selectionSet, type, scope);
      active.delete(name);
      fragmentCosts.set(key, cost);
    }
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType, scope: Scope): number => {
    const def = fieldDefinition(schema, parent, node.name.value);
    if (!def) return 1;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, variables);
    } catch {
      // Execution refuses this field before resolving it (a null for a non-null argument).
      return 1;
    }
    const cost = costs[`${parent.name}.${def.name}`];
    const context = { args, parentArgs: scope.parentArgs, space: scope.space, sizes };
    const own = 1 + (cost?.units?.(args) ?? 0) + (cost?.boundUnits?.(context) ?? 0);
    const named = getNamedType(def.type);
    const child =
      node.selectionSet && isCompositeType(named)
        ? selectionSetCost(node.selectionSet, named, { space: spaceBelow(node, scope.space), parentArgs: args })
        : 0;
    if (!isListType(getNullableType(def.type))) return own + child;
    return own + (cost?.items?.(context) ?? 1) * (1 + child);
  };

  const root =
    options.operation.operation === 'query'
      ? schema.getQueryType()
      : options.operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ? selectionSetCost(options.operation.selectionSet, root, { space: undefined, parentArgs: {} }) : 0;
}

function fieldDefinition(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return undefined;
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return isObjectType(parent) ? parent.getFields()[name] : undefined;
}

/**
 * The space below a field: the one its literal `space` argument names, else its parent's. A variable names no space
 * (any space's bound applies): costs are memoised per document and variable shape, so one space's bound must not be
 * reused for a request about another.
 */
function spaceBelow(node: FieldNode, above: string | undefined): string | undefined {
  const arg = node.arguments?.find((a) => a.name.value === 'space');
  if (!arg) return above;
  return arg.value.kind === Kind.STRING ? arg.value.value : undefined;
}
