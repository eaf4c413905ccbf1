import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
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
  // Apollo reuses the parsed document of a repeated query, so the walk is memoised per document and per the only
  // variable facts the estimators read (list lengths and numbers): about a third of a single lookup's CPU otherwise.
  const memo = new WeakMap<DocumentNode, Map<string, number>>();
  const estimators = [listSizeEstimator, simpleEstimator({ defaultComplexity: 1 })];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const key = `${request.operationName ?? ''}\u0000${variableShape(request.variables)}`;
          let perDocument = memo.get(document);
          if (!perDocument) memo.set(document, (perDocument = new Map()));
          let complexity = perDocument.get(key);
          if (complexity === undefined) {
            complexity = getComplexity({ schema, query: document, operationName: request.operationName, variables: request.variables, estimators });
            if (perDocument.size < 1_000) perDocument.set(key, complexity);
          }
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

/** What the estimators can see of the variables: list lengths and numbers (strings never change a complexity). */
function variableShape(variables: Record<string, unknown> | undefined): string {
  if (!variables) return '';
  let shape = '';
  for (const [name, value] of Object.entries(variables)) {
    if (Array.isArray(value)) shape += `${name}[${value.length}]`;
    else if (typeof value === 'number') shape += `${name}=${value}`;
    else if (value !== null && typeof value === 'object') shape += `${name}${JSON.stringify(value)}`;
  }
  return shape;
}
