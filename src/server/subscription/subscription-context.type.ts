import type { RequestContext } from '../context.type';
import type { JobEventHub } from './job-event-hub';
import type { PublicationEventHub } from './publication-event-hub';
import type { SearchEventHub } from './search-event-hub';

/** What subscription resolvers get over graphql-ws: a request context plus the server's event hubs. */
export interface SubscriptionContext extends RequestContext {
  jobEvents: JobEventHub;
  searchEvents: SearchEventHub;
  publicationEvents: PublicationEventHub;
}
