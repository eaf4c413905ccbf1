import pino from 'pino';
import type { Logger } from 'typeorm';
import { openStore, type Store } from '../../src/store';
import { startServer, type RunningServer } from '../../src/server';
import { DEFAULT_LIMITS, type ApiLimits } from '../../src/server/limit/api-limits';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A real server on a random port over a fresh database. */
export interface TestServer {
  url: string;
  baseUrl: string;
  store: Store;
  server: RunningServer;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Body cap; default 4 MiB like production. */
  maxBodyBytes?: number;
  /** Production error formatting. */
  production?: boolean;
  /** TypeORM logger of the store, e.g. a statement counter. */
  logger?: Logger;
  /** Overrides of the default limits. */
  limits?: Partial<ApiLimits>;
  /** The release folder served at /releases. */
  releasesDir?: string;
}

/** Opens a fresh database, migrates it and starts the API on port 0. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const store = await openStore({ config: database.config, logger: options.logger });
  const server = await startServer({
    store,
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    production: options.production ?? false,
    logger: pino({ level: 'silent' }),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    releasesDir: options.releasesDir,
  });
  return {
    url: `http://127.0.0.1:${server.port}/graphql`,
    baseUrl: `http://127.0.0.1:${server.port}`,
    store,
    server,
    database,
    close: async () => {
      await server.stop();
      await store.close();
      await database.drop();
    },
  };
}
