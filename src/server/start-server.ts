import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import cors from 'cors';
import type { Logger } from 'pino';
import { ErrorCode, NashubError, loggableError } from '../core';
import type { Store } from '../store';
import { authenticateRequest } from './auth/authenticate-request';
import { buildNashubSchema } from './build-schema';
import type { ApiLimits } from './limit/api-limits';
import { budgetPlugin } from './limit/budget-plugin';
import { complexityPlugin } from './limit/complexity-plugin';
import { depthLimitRule } from './limit/depth-limit-rule';
import { exceedsTokens } from './limit/exceeds-tokens';
import { inputDepthRule } from './limit/input-depth-rule';
import { limitExceeded } from './limit/limit-exceeded';
import { meterResolvers } from './limit/meter-resolvers';
import { createQueryCostCheck } from './limit/query-cost-check';
import { RequestBudget } from './limit/request-budget';
import { CatalogCache } from './loader/catalog-cache';
import { createLoaders } from './loader/create-loaders';
import type { RequestContext } from './context.type';
import { createFormatError } from './format-error';
import { createJsonBodyReader, type BodyError } from './http/read-json-body';
import { sendJson } from './http/send-json';
import { KeepAliveGuard } from './http/keep-alive-guard';
import { RequestDrain } from './http/request-drain';
import { createReleaseFilesRoute } from './http/release-files.route';
import { createExportRoute } from './http/export.route';
import { requestSearch } from './http/request-search';
import { answerFromCache, asksForAny, cacheTagOf, sendNotModified } from './cache/read-cache';
import { readCachePlugin } from './cache/read-cache-plugin';
import { StoreGenerationWatch } from './cache/store-generation-watch';
import { ApiKeyCache } from './auth/api-key-cache';
import { ExportFileCache } from './cache/export-file-cache';
import { ServerServices } from './server-services';
import { attachSubscriptions } from './subscription/attach-subscriptions';
import { JobEventHub } from './subscription/job-event-hub';
import { PublicationEventHub } from './subscription/publication-event-hub';
import { SearchEventHub } from './subscription/search-event-hub';
import type { JobQueue } from '../store/queue';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** The open store the API reads and writes. */
  store: Store;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to bind; undefined binds all. */
  host?: string;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Hide stack traces and internal messages. */
  production: boolean;
  /** List, depth and complexity limits. */
  limits: ApiLimits;
  /** Structured log sink. */
  logger: Logger;
  /** A job queue the caller opened and keeps (an in-process worker's); else the server opens one on first use. */
  queue?: JobQueue;
  /** How long `stop()` waits for requests in flight before cutting them off (default 10 s). */
  shutdownGraceMs?: number;
  /** The store's release folder, served at /releases; undefined serves no release files. */
  releasesDir?: string;
  /** A per-start secret accepted as an admin credential from loopback only (the CLI reads it from the lock file). */
  localAdminToken?: string;
  /** Bytes of finished /export files kept in memory for repeat exports of the same store generation (default 64 MiB). */
  exportCacheBytes?: number;
}

/** {@link ServerOptions.exportCacheBytes}' default: the NB201 sweep's four seed-mean tables, CSV and Parquet, fit. */
const EXPORT_CACHE_BYTES = 64 * 1024 * 1024;

/** What {@link RunningServer.stop} did. */
export interface StopResult {
  /** Requests still running when the grace period ended, whose connections were closed: 0 for a clean stop. */
  cutOff: number;
}

/** A started API server. */
export interface RunningServer {
  /** `http://localhost:PORT/graphql`. */
  url: string;
  port: number;
  httpServer: Server;
  /**
   * Stops accepting connections, answers later requests with 503 SHUTTING_DOWN, lets in-flight requests finish (up to
   * the grace period), closes subscriptions, then stops Apollo and the services. Does not close the store.
   */
  stop(): Promise<StopResult>;
}

/** Starts Apollo Server 5 on a plain Node HTTP server with `/graphql` and `/healthz`. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { store, logger } = options;
  const catalog = new CatalogCache(store.dataSource.manager);
  const services = new ServerServices(store, options.queue ?? null, logger);
  const httpServer = createServer();
  const drain = new RequestDrain(httpServer);
  const keepAlive = new KeepAliveGuard(httpServer);
  const jobEvents = new JobEventHub(store, logger);
  const searchEvents = new SearchEventHub(store, logger);
  const publicationEvents = new PublicationEventHub(store, logger);
  const generation = new StoreGenerationWatch(store, logger);
  await generation.start();
  const apiKeys = new ApiKeyCache(store, logger);
  await apiKeys.start();
  const schema = await buildNashubSchema({ pubSub: jobEvents.pubSub });
  meterResolvers(schema);
  const checkCost = createQueryCostCheck({ schema, limits: options.limits, catalog });
  const formatError = createFormatError({ logger, hideInternals: options.production });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: !options.production,
    introspection: true,
    validationRules: [depthLimitRule(options.limits), inputDepthRule(options.limits)],
    // The serve command owns signals: it stops the server, then closes the store, so a PGlite folder reopens fine.
    stopOnTerminationSignals: false,
    // The API sets no cache hints; the cache-control plugin would still wrap every resolver (measured by bench api).
    plugins: [ApolloServerPluginCacheControlDisabled(), complexityPlugin(checkCost), budgetPlugin(), readCachePlugin()],
    logger: {
      debug: (message) => logger.debug(message),
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      error: (message) => logger.error(message),
    },
  });
  await apollo.start();

  const readBody = createJsonBodyReader(options.maxBodyBytes);
  const releaseFiles = createReleaseFilesRoute({ manager: store.dataSource.manager, dir: options.releasesDir });
  const exportFiles = createExportRoute({
    manager: store.dataSource.manager,
    catalog,
    generation: () => generation.current(),
    cache: new ExportFileCache(options.exportCacheBytes ?? EXPORT_CACHE_BYTES),
  });
  // Only the methods the API answers: the cors package's default also advertises PUT, PATCH and DELETE.
  const corsHandler = cors({ methods: ['GET', 'POST', 'OPTIONS'] });
  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const search = requestSearch(req.url ?? '');
    // The generation before anything runs: an answer is never tagged newer than the data it read. Only GETs: Apollo
    // answers HEAD 405, and a condition must not turn a response that would not be a 2xx into a 304 (RFC 9110 13.2.1).
    const cacheTag = req.method === 'GET' ? cacheTagOf(req, search, generation.current()) : null;
    if (answerFromCache(req, res, cacheTag)) return;
    let body: unknown;
    try {
      body = await readBody(req, res);
    } catch (error) {
      const bodyError = error as BodyError;
      if (bodyError.status === 413) {
        sendJson(res, 413, {
          errors: [
            {
              message: `request body exceeds the limit maxBodyBytes=${options.maxBodyBytes}`,
              extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxBodyBytes', max: options.maxBodyBytes },
            },
          ],
        });
      } else {
        sendJson(res, bodyError.status ?? 400, {
          errors: [{ message: `bad request body: ${bodyError.message}`, extensions: { code: 'BAD_REQUEST' } }],
        });
      }
      return;
    }
    const query = queryText(body, search);
    if (query !== undefined && exceedsTokens(query, options.limits.maxTokens)) {
      const max = options.limits.maxTokens;
      sendJson(res, 400, {
        errors: [
          {
            message: `maxTokens limit exceeded: the query has more than ${max} tokens; pass long lists as variables`,
            extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: 'maxTokens', max },
          },
        ],
      });
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const request: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search,
      body,
    };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: async () => {
        const budget = new RequestBudget(options.limits);
        return {
          store,
          loaders: createLoaders({
            manager: store.dataSource.manager,
            catalog,
            predictions: services.predictions,
            recordReads: services.recordReads,
            recordMeanReads: services.recordMeanReads,
            batchScheduleFn: budget.schedule,
          }),
          limits: options.limits,
          auth: await authenticateRequest({
            manager: store.dataSource.manager,
            authorization: req.headers.authorization,
            localAdminToken: options.localAdminToken,
            remoteAddress: req.socket.remoteAddress,
            keys: apiKeys,
          }),
          services,
          budget,
          cacheTag,
          releasesDir: options.releasesDir,
        };
      },
    });
    const etag = response.headers.get('etag');
    // A tagged answer is a current representation, which `If-None-Match: *` matches; the query had to run to know.
    if (etag !== undefined && asksForAny(req)) {
      sendNotModified(res, etag);
      return;
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const text = response.body.string;
      // The budget stops building a response early on an estimate of its size; this is the exact check. A string of
      // n UTF-16 units is at most 3n UTF-8 bytes, so most responses need no byte count.
      const max = options.limits.maxResponseBytes;
      if (text.length * 3 > max && Buffer.byteLength(text) > max) {
        const error = limitExceeded('maxResponseBytes', max, Buffer.byteLength(text));
        sendJson(res, 400, {
          errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }],
        });
        return;
      }
      res.end(text);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const failRequest = (res: ServerResponse, error: unknown): void => {
    logger.error({ error: loggableError(error) }, 'request failed');
    if (!res.headersSent)
      sendJson(res, 500, {
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    else res.destroy();
  };
  httpServer.on('request', (req, res) => {
    // Late requests (also /healthz, so a load balancer takes this instance out) get 503 SHUTTING_DOWN.
    if (!drain.admit(req, res)) return;
    keepAlive.track(res);
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { status: 'ok', database: store.kind, schemaVersion: store.schemaVersion });
      return;
    }
    if (path === '/releases' || path.startsWith('/releases/')) {
      releaseFiles(req, res, path).catch((error: unknown) => failRequest(res, error));
      return;
    }
    if (path.startsWith('/export/')) {
      exportFiles(req, res, path).catch((error: unknown) => failRequest(res, error));
      return;
    }
    if (path !== '/graphql') {
      sendJson(res, 404, { error: `no route ${path}; the API is at /graphql` });
      return;
    }
    corsHandler(req, res, () => {
      handleGraphQL(req, res).catch((error: unknown) => failRequest(res, error));
    });
  });

  await listen(httpServer, options.port, options.host).catch(async (error) => {
    await apollo.stop();
    // Their LISTEN connections (PostgreSQL) would keep the process alive after the failed start.
    await generation.close();
    await apiKeys.close();
    throw error;
  });
  const port = (httpServer.address() as AddressInfo).port;
  const subscriptions = attachSubscriptions({
    httpServer,
    schema,
    store,
    catalog,
    services,
    jobEvents,
    searchEvents,
    publicationEvents,
    releasesDir: options.releasesDir,
    limits: options.limits,
    maxMessageBytes: options.maxBodyBytes,
    checkCost,
    logger,
    formatError,
  });
  void services
    .resumePublications(options.releasesDir)
    .catch((error: unknown) => logger.error({ err: loggableError(error) }, 'could not resume release publications'));
  // TRAINING search runs go on where the last server left them.
  void services.drivers
    .resume()
    .catch((error: unknown) => logger.error({ err: loggableError(error) }, 'could not resume TRAINING search runs'));
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    httpServer,
    stop: async () => {
      const closed = drain.begin();
      // Subscriptions never finish on their own: close them first, so their upgraded sockets do not hold `closed`.
      await subscriptions.dispose();
      const cutOff = await drain.settle(options.shutdownGraceMs ?? 10_000);
      await closed;
      await jobEvents.close();
      await searchEvents.close();
      await publicationEvents.close();
      await generation.close();
      await apiKeys.close();
      await apollo.stop();
      await services.close();
      return { cutOff };
    },
  };
}

/** The query text of a GraphQL request: the POST body's `query`, or the GET URL's. */
function queryText(body: unknown, search: string): string | undefined {
  const query =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as { query?: unknown }).query
      : new URLSearchParams(search).get('query');
  return typeof query === 'string' ? query : undefined;
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new NashubError(ErrorCode.PORT_IN_USE, `port ${port} is already in use; pick another with --port or PORT`, {
            details: { port },
            cause: error,
          }),
        );
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
