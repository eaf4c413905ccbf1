import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationToCheck } from './query-cost-check';

/**
 * Runs the cost check ({@link createQueryCostCheck}) on every HTTP operation once it is parsed and validated. A plugin
 * rather than a validation rule, because list sizes often arrive as variables, which validation does not see.
 */
export function complexityPlugin(check: (operation: OperationToCheck) => Promise<void>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (operation) await check({ document, operation, variables: request.variables });
        },
      };
    },
  };
}
