import type { Store } from '../store';
import type { RequestAuth } from './auth/request-auth.type';
import type { ApiLimits } from './limit/api-limits';
import type { RequestBudget } from './limit/request-budget';
import type { CacheTag } from './cache/read-cache';
import type { Loaders } from './loader/create-loaders';
import type { ServerServices } from './server-services';

/** What every resolver gets for one request. */
export interface RequestContext {
  /** The open store; resolvers reach the database through store/ functions and the loaders only. */
  store: Store;
  /** This request's DataLoaders. */
  loaders: Loaders;
  limits: ApiLimits;
  /** The API key the request carried (`Authorization: Bearer KEY`), or null when it carried none. */
  auth: RequestAuth | null;
  /** Process-wide services: the job queue, loaded predictors. */
  services: ServerServices;
  /** The store's release folder this server serves at /releases (undefined: none). */
  releasesDir?: string;
  /** What this request has spent against maxComplexity and maxResponseBytes, and its share of the event loop. */
  budget: RequestBudget;
  /** A GET request's cache tag (generation and query string); null or absent when its answer is never cached. */
  cacheTag?: CacheTag | null;
}
