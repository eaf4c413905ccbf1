import type { StoreConfig } from '../store';
import { readDataDirLock } from '../store/pglite/data-dir-lock';
import { requestLocalServer } from './request-local-server';

/**
 * Runs one GraphQL operation through the `nashub serve` that holds this machine's PGlite folder (a second process must
 * not open it), saying so on stderr; null when no server holds it (PostgreSQL, or no server running).
 */
export async function throughLocalServer<T>(
  store: StoreConfig,
  query: string,
  variables: Record<string, unknown>,
): Promise<T | null> {
  if (store.kind !== 'pglite') return null;
  const server = readDataDirLock(store.dataDir)?.server;
  if (!server) return null;
  const data = await requestLocalServer<T>(server, query, variables);
  if (data) process.stderr.write(`nashub: ran through the server at ${server.url}, which holds ${store.dataDir}\n`);
  return data;
}
