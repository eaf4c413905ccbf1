import type { RequestContext } from '../context.type';
import type { JobEventHub } from './job-event-hub';

/** What subscription resolvers get over graphql-ws: a request context plus the server's job event hub. */
export interface SubscriptionContext extends RequestContext {
  jobEvents: JobEventHub;
}
