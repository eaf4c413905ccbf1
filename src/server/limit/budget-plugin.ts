import type { ApolloServerPlugin } from '@apollo/server';
import type { MeteredContext } from './meter-resolvers';

/**
 * Answers a request that passed a limit during execution (its {@link RequestBudget} failed) with that one
 * LIMIT_EXCEEDED error and HTTP 400, instead of a partial result with an error per field that was cut off.
 */
export function budgetPlugin(): ApolloServerPlugin<MeteredContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const failure = contextValue.budget.failure;
          if (!failure || response.body.kind !== 'single') return;
          response.body.singleResult = {
            errors: [{ message: failure.message, extensions: { code: failure.code, ...failure.details } }],
          };
          response.http.status = 400;
        },
      };
    },
  };
}
