import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
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

/**
 * Refuses operations above `maxComplexity` before execution. A plugin rather than a validation rule, because list
 * sizes often arrive as variables, which validation does not see.
 */
export function complexityPlugin(schema: GraphQLSchema, limits: ApiLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName,
            variables: request.variables,
            estimators: [listSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > limits.maxComplexity) {
            throw new GraphQLError(`maxComplexity limit exceeded: query complexity ${complexity} > ${limits.maxComplexity}`, {
              extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxComplexity', max: limits.maxComplexity, actual: complexity, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
