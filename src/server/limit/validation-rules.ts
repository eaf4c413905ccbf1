import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { createComplexityRule, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../../core';
import type { ApiLimits } from './api-limits';

/**
 * Arguments that make a field return that many items: its children's complexity is multiplied by them, so a
 * 10,000-arch batch costs 10,000 times its selection.
 */
const listSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = Array.isArray(args.archs) ? args.archs.length : (args.n ?? args.k ?? args.first);
  if (typeof size === 'number' && size >= 0) return 1 + childComplexity * size;
  return undefined;
};

/** Depth and complexity limits as validation rules whose errors carry code LIMIT_EXCEEDED and the limit's name. */
export function limitRules(limits: ApiLimits): ValidationRule[] {
  const depth = relabel(depthLimit(limits.maxDepth) as ValidationRule, 'maxDepth', limits.maxDepth);
  const complexity = createComplexityRule({
    maximumComplexity: limits.maxComplexity,
    estimators: [listSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
    createError: (max, actual) =>
      new GraphQLError(`maxComplexity limit exceeded: query complexity ${actual} > ${max}`, {
        extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxComplexity', max, actual },
      }),
  });
  return [depth, complexity];
}

/** Re-reports a rule's errors with code LIMIT_EXCEEDED and the limit. */
function relabel(rule: ValidationRule, limit: string, max: number): ValidationRule {
  return (context: ValidationContext) => {
    const proxy = Object.create(context) as ValidationContext;
    proxy.reportError = (error: GraphQLError) =>
      context.reportError(
        new GraphQLError(`${limit} limit exceeded: ${error.message}`, { nodes: error.nodes, extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit, max } }),
      );
    return rule(proxy);
  };
}
