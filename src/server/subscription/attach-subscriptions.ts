import type { Server } from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { ErrorCode } from '../../core';
import type { Store } from '../../store';
import { authenticateRequest } from '../auth/authenticate-request';
import type { ApiLimits } from '../limit/api-limits';
import { depthLimitRule } from '../limit/depth-limit-rule';
import { exceedsTokens } from '../limit/exceeds-tokens';
import { inputDepthRule } from '../limit/input-depth-rule';
import type { OperationToCheck } from '../limit/query-cost-check';
import { RequestBudget } from '../limit/request-budget';
import type { CatalogCache } from '../loader/catalog-cache';
import { createLoaders } from '../loader/create-loaders';
import type { ServerServices } from '../server-services';
import type { JobEventHub } from './job-event-hub';
import type { PublicationEventHub } from './publication-event-hub';
import type { SearchEventHub } from './search-event-hub';
import type { SubscriptionContext } from './subscription-context.type';

/** Options of {@link attachSubscriptions}. */
export interface AttachSubscriptionsOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  store: Store;
  catalog: CatalogCache;
  services: ServerServices;
  jobEvents: JobEventHub;
  searchEvents: SearchEventHub;
  publicationEvents: PublicationEventHub;
  /** The store's release folder (a published release's files' urls), as HTTP requests get it. */
  releasesDir?: string;
  limits: ApiLimits;
  /** Largest WebSocket message in bytes (the HTTP body limit). */
  maxMessageBytes: number;
  /** The cost check HTTP operations pass too. */
  checkCost(operation: OperationToCheck): Promise<void>;
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
 * the connection (close 4403). Operations (queries and mutations may come this way too) pass the same limits as over
 * HTTP (tokens, depth, input depth, cost before execution, the budget during it) and get the same error codes.
 */
export function attachSubscriptions(options: AttachSubscriptionsOptions): SubscriptionServer {
  const { store, logger } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: options.maxMessageBytes,
  });
  const { limits } = options;
  const rules = [...specifiedRules, depthLimitRule(limits), inputDepthRule(limits)];
  const refusal = (limit: string, max: number, message: string) =>
    new GraphQLError(message, { extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit, max } });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  const authorization = (params: Record<string, unknown> | undefined): string | undefined => {
    const value = params?.Authorization ?? params?.authorization;
    return typeof value === 'string' ? value : undefined;
  };
  const cleanup = useServer<Record<string, unknown> | undefined>(
    {
      schema: options.schema,
      onSubscribe: async (_ctx, _id, payload) => {
        if (exceedsTokens(payload.query, limits.maxTokens)) {
          return [
            refusal(
              'maxTokens',
              limits.maxTokens,
              `maxTokens limit exceeded: the query has more than ${limits.maxTokens} tokens; pass long lists as variables`,
            ),
          ];
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Unable to identify operation')];
        try {
          await options.checkCost({ document, operation, variables: payload.variables });
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return {
          schema: options.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      onConnect: async (ctx) => {
        try {
          await authenticateRequest({
            manager: store.dataSource.manager,
            authorization: authorization(ctx.connectionParams),
          });
          return true;
        } catch (error) {
          logger.info(
            { reason: error instanceof Error ? error.message : String(error) },
            'refused a subscription connection',
          );
          return false;
        }
      },
      context: async (ctx): Promise<SubscriptionContext> => {
        const budget = new RequestBudget(limits);
        return {
          store,
          loaders: createLoaders({
            manager: store.dataSource.manager,
            catalog: options.catalog,
            predictions: options.services.predictions,
            recordReads: options.services.recordReads,
            recordMeanReads: options.services.recordMeanReads,
            batchScheduleFn: budget.schedule,
          }),
          limits: options.limits,
          auth: await authenticateRequest({
            manager: store.dataSource.manager,
            authorization: authorization(ctx.connectionParams),
          }),
          services: options.services,
          jobEvents: options.jobEvents,
          searchEvents: options.searchEvents,
          publicationEvents: options.publicationEvents,
          releasesDir: options.releasesDir,
          budget,
        };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, args, result) => {
        const failure = (args.contextValue as SubscriptionContext | undefined)?.budget.failure;
        if (failure)
          return { errors: [{ message: failure.message, extensions: { code: failure.code, ...failure.details } }] };
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
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
