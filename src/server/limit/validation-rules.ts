import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { ErrorCode } from '../../core';
import type { ApiLimits } from './api-limits';

/** The depth limit as a validation rule whose errors carry code LIMIT_EXCEEDED and the limit's name. */
export function depthLimitRule(limits: ApiLimits): ValidationRule {
  const rule = depthLimit(limits.maxDepth) as ValidationRule;
  return (context: ValidationContext) => {
    const proxy = Object.create(context) as ValidationContext;
    proxy.reportError = (error: GraphQLError) =>
      context.reportError(
        new GraphQLError(`maxDepth limit exceeded: ${error.message}`, {
          nodes: error.nodes,
          extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxDepth', max: limits.maxDepth },
        }),
      );
    return rule(proxy);
  };
}
