import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../../core';
import type { ApiLimits } from './api-limits';

/**
 * Refuses an operation whose fields nest deeper than maxDepth (top-level fields are depth 0; introspection fields'
 * selections are left to graphql's MaxIntrospectionDepthRule), with code LIMIT_EXCEEDED and the limit's name. Each
 * fragment's depth is computed once, a cycle counts as depth 0 (NoFragmentCyclesRule, which runs beside this rule,
 * reports it), an unknown fragment too (KnownFragmentNamesRule does), and the walk stops as soon as it passes
 * maxDepth: no document makes it recurse much deeper than the limit or revisit a fragment.
 */
export function depthLimitRule(limits: Pick<ApiLimits, 'maxDepth'>): ValidationRule {
  const max = limits.maxDepth;
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    const fragmentDepths = new Map<string, number>();
    const active = new Set<string>();

    // How much deeper than `level` (the depth of this set's fields) the deepest field below goes, or a value that
    // already passes max: the walk stops there.
    const depthBelow = (set: SelectionSetNode, level: number): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          if (selection.selectionSet && !selection.name.value.startsWith('__'))
            depth = level + 1 > max ? 1 : 1 + depthBelow(selection.selectionSet, level + 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthBelow(selection.selectionSet, level);
        } else {
          depth = fragmentDepth(selection.name.value);
        }
        deepest = Math.max(deepest, depth);
        if (level + deepest > max) return deepest;
      }
      return deepest;
    };
    const fragmentDepth = (name: string): number => {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      const fragment = fragments.get(name);
      if (!fragment || active.has(name)) return 0;
      active.add(name);
      const depth = depthBelow(fragment.selectionSet, 0);
      active.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    };

    return {
      OperationDefinition(operation) {
        if (depthBelow(operation.selectionSet, 0) > max) {
          context.reportError(
            new GraphQLError(
              `maxDepth limit exceeded: operation '${operation.name?.value ?? ''}' nests fields deeper than ${max}`,
              {
                nodes: [operation],
                extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxDepth', max },
              },
            ),
          );
        }
        return false;
      },
      FragmentDefinition: () => false,
    };
  };
}
