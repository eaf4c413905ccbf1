import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../src/store/api-key';
import type { DataSource } from 'typeorm';
import { importFile, resolveMapping, type ImportResult } from '../../src/store/import';
import { loadMappingFile } from '../../src/store/import/load-mapping-file';
import { graphqlRequest, type GraphQLResponse } from './graphql-request';
import { writeSyntheticSummaryCsv } from './search-fixtures';
import { startTestServer, type TestServer, type TestServerOptions } from './start-test-server';

/** A real server whose store holds the synthetic NB201 summary (all 15,625 cells), and a trainer key. */
export interface SearchServer extends TestServer {
  /** `Bearer …` of a trainer key. */
  authorization: string;
  /** The raw trainer key. */
  key: string;
  /** POSTs GraphQL with the trainer key. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/** Imports the synthetic NB201 summary (test/support/search-fixtures.ts) with the nb201/summary mapping. */
export async function importSyntheticSummary(dataSource: DataSource): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nashub-synthetic-summary-'));
  try {
    return await importFile({
      dataSource,
      space: 'nb201',
      file: writeSyntheticSummaryCsv(dir),
      mapping: resolveMapping(loadMappingFile('nb201/summary')),
      replace: false,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts a server, imports the synthetic NB201 summary (`importData` false: an empty store) and creates a trainer key;
 * `logger` is the store's TypeORM logger (a statement counter).
 */
export async function startSearchServer(
  options: { importData?: boolean; logger?: TestServerOptions['logger'] } = {},
): Promise<SearchServer> {
  const server = await startTestServer({ logger: options.logger });
  if (options.importData ?? true) await importSyntheticSummary(server.store.dataSource);
  const { key } = await createApiKey(server.store.dataSource.manager, { name: 'search-worker', role: 'trainer' });
  const authorization = `Bearer ${key}`;
  return {
    ...server,
    key,
    authorization,
    gql: (query, variables) => graphqlRequest(server.url, query, variables, { authorization }),
  };
}

/** The fields of a trial the tests and examples read. */
export const TRIAL_FIELDS = `id runId number state value cost worker protocol epochs retryOf
  architecture { id arch } simulated { value cost }`;
