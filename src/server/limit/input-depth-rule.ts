import { GraphQLError, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';
import { ErrorCode } from '../../core';
import type { ApiLimits } from './api-limits';

/**
 * Refuses list and object literals nested deeper than maxInputDepth with code LIMIT_EXCEEDED, before coercion and
 * resolvers walk them recursively (a JSONObject argument nested thousands deep would overflow JSON.stringify). The
 * visitor counts on the way in and out, so it needs no stack of its own.
 */
export function inputDepthRule(limits: Pick<ApiLimits, 'maxInputDepth'>): ValidationRule {
  const max = limits.maxInputDepth;
  return (context: ValidationContext): ASTVisitor => {
    let depth = 0;
    let reported = false;
    const enter = () => {
      depth += 1;
      if (depth > max && !reported) {
        reported = true;
        context.reportError(
          new GraphQLError(
            `maxInputDepth limit exceeded: an argument value nests lists or objects deeper than ${max}`,
            {
              extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxInputDepth', max },
            },
          ),
        );
      }
    };
    const leave = () => {
      depth -= 1;
    };
    return { ListValue: { enter, leave }, ObjectValue: { enter, leave } };
  };
}
