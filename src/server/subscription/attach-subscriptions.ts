import type { Server } from 'node:http';
import { GraphQLError, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Store } from '../../store';
import { authenticateRequest } from '../auth/authenticate-request';
import type { ApiLimits } from '../limit/api-limits';
import { depthLimitRule } from '../limit/validation-rules';
import type { CatalogCache } from '../loader/catalog-cache';
import { createLoaders } from '../loader/create-loaders';
import type { ServerServices } from '../server-services';
import type { JobEventHub } from './job-event-hub';
import type { SubscriptionContext } from './subscription-context.type';

/** Options of {@link attachSubscriptions}. */
export interface AttachSubscriptionsOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  store: Store;
  catalog: CatalogCache;
  services: ServerServices;
  jobEvents: JobEventHub;
  limits: ApiLimits;
  logger: Logger;
  /** The server's error formatter (domain codes into `extensions.code`). */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/** Subscriptions being served; `dispose()` closes every socket and stops accepting new ones. */
export interface SubscriptionServer {
  dispose(): Promise<void>;
}

/**
 * Serves subscriptions with graphql-ws on the HTTP server's `/graphql` path (WebSocket upgrades; plain requests still
 * go to Apollo). `connectionParams.Authorization` ("Bearer KEY") is optional, as reads are public; a bad key refuses
 * the connection (close 4403). Operations get the depth limit and the same error codes as over HTTP.
 */
export function attachSubscriptions(options: AttachSubscriptionsOptions): SubscriptionServer {
  const { store, logger } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  const authorization = (params: Record<string, unknown> | undefined): string | undefined => {
    const value = params?.Authorization ?? params?.authorization;
    return typeof value === 'string' ? value : undefined;
  };
  const cleanup = useServer<Record<string, unknown> | undefined>(
    {
      schema: options.schema,
      validate: (schema, document) => validate(schema, document, [...specifiedRules, depthLimitRule(options.limits)]),
      onConnect: async (ctx) => {
        try {
          await authenticateRequest({ manager: store.dataSource.manager, authorization: authorization(ctx.connectionParams) });
          return true;
        } catch (error) {
          logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'refused a subscription connection');
          return false;
        }
      },
      context: async (ctx): Promise<SubscriptionContext> => ({
        store,
        loaders: createLoaders(store.dataSource.manager, options.catalog, options.services.predictions),
        limits: options.limits,
        auth: await authenticateRequest({ manager: store.dataSource.manager, authorization: authorization(ctx.connectionParams) }),
        services: options.services,
        jobEvents: options.jobEvents,
      }),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    },
    wsServer,
  );
  return {
    // graphql-ws's dispose closes every socket, then the WebSocketServer itself.
    dispose: async () => {
      await cleanup.dispose();
    },
  };
}
