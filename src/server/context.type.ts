import type { Store } from '../store';

/** What every resolver gets for one request. */
export interface RequestContext {
  /** The open store; resolvers reach the database through store/ functions only. */
  store: Store;
}
