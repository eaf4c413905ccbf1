import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { CACHEABLE_ROOT_FIELDS, PUBLIC_CACHE_CONTROL, type CacheTag } from './read-cache';

/** What the plugin reads from the context: the request's tag, null when it is never cached. */
export interface CacheTaggedContext {
  cacheTag?: CacheTag | null;
}

/**
 * Tags the answer of a tagged GET request with `ETag` and a public `Cache-Control` when it is a query of cacheable
 * root fields that answered without errors (an error may depend on more than the store: a persisted query this
 * process has not seen, a limit); every other GET answer gets `Cache-Control: no-store`.
 */
export function readCachePlugin(): ApolloServerPlugin<CacheTaggedContext> {
  return {
    async requestDidStart({ request }) {
      if (request.http?.method !== 'GET') return;
      return {
        async willSendResponse({ contextValue, response, operation }) {
          const tag = contextValue.cacheTag;
          const ok =
            tag &&
            isCacheable(operation) &&
            response.body.kind === 'single' &&
            response.body.singleResult.errors === undefined &&
            (response.http.status ?? 200) === 200;
          if (ok) {
            response.http.headers.set('etag', tag.etag);
            response.http.headers.set('cache-control', PUBLIC_CACHE_CONTROL);
          } else {
            response.http.headers.set('cache-control', 'no-store');
          }
        },
      };
    },
  };
}

function isCacheable(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation?.operation === 'query' &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && CACHEABLE_ROOT_FIELDS.has(selection.name.value),
    )
  );
}
