import pino from 'pino';
import { createApiKey } from '../../src/store/api-key/create-api-key';
import { createProtocol } from '../../src/store/catalog/catalog';
import { JobQueue } from '../../src/store/queue';
import { selectTrainingBackend } from '../../src/trainer/backend/select-training-backend';
import { TrainerPool } from '../../src/training';
import { graphqlRequest, type GraphQLResponse } from './graphql-request';
import { startTestServer, type TestServer } from './start-test-server';

import { FASHION_MNIST_DIR } from './tiny-protocol';

export { FASHION_MNIST_DIR };

/** A protocol as createProtocol takes it. */
type ProtocolInput = Parameters<typeof createProtocol>[1];

/** A test server with a trainer key, protocols, a job queue and a (not yet started) wasm trainer pool in-process. */
export interface TrainingFixture {
  t: TestServer;
  queue: JobQueue;
  pool: TrainerPool;
  /** A GraphQL request over HTTP, with the trainer key when `auth`. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: boolean,
  ): Promise<GraphQLResponse<T>>;
  /** Polls `job(id) { <fields> }` every 100 ms until its status is one of `until` (at most 2 minutes); the last answer. */
  waitForJob<T extends { status: string }>(id: string, fields: string, until?: string[]): Promise<T | null>;
  close(): Promise<void>;
}

export async function startTrainingFixture(protocols: ProtocolInput[]): Promise<TrainingFixture> {
  const t = await startTestServer();
  const key = (await createApiKey(t.store.dataSource.manager, { name: 'search-client', role: 'trainer' })).key;
  for (const protocol of protocols) await createProtocol(t.store.dataSource.manager, protocol);
  const queue = await JobQueue.open(t.store, { supervise: true, maintenanceIntervalSeconds: 1 });
  const backend = await selectTrainingBackend('wasm');
  const pool = new TrainerPool({
    store: t.store,
    queue,
    concurrency: 1,
    datasetsDir: FASHION_MNIST_DIR,
    backend,
    leaseSeconds: 600,
    logger: pino({ level: 'silent' }),
    pollIntervalMs: 100,
  });
  const gql: TrainingFixture['gql'] = (query, variables, auth = false) =>
    graphqlRequest(t.url, query, variables, auth ? { authorization: `Bearer ${key}` } : {});
  return {
    t,
    queue,
    pool,
    gql,
    async waitForJob<T extends { status: string }>(
      id: string,
      fields: string,
      until = ['COMPLETED', 'FAILED'],
    ): Promise<T | null> {
      let job: T | null = null;
      for (let i = 0; i < 1200 && !until.includes(job?.status ?? ''); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await gql<{ job: T | null }>(`query($id: ID!) { job(id: $id) { status ${fields} } }`, { id })).data!.job;
      }
      return job;
    },
    async close() {
      await pool.stop();
      await queue.stop();
      await t.close();
    },
  };
}
