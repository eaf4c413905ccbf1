import type { DataSource, Logger } from 'typeorm';
import type { PGlite } from '@electric-sql/pglite';
import { ErrorCode, NashubError, listSpaces } from '../core';
import { createDataSource } from './create-data-source';
import { ensureDataDir, openPGlite } from './open-pglite';
import { acquireDataDirLock, type DataDirLock } from './pglite/data-dir-lock';
import { redactUrl, type StoreConfig, type StoreKind } from './store-config';
import { syncSearchSpaces } from './search-space.repository';
import { readSchemaVersion } from './schema-version';
import { listenPGlite, listenPostgres, type ChannelListener, type ListenChannelOptions } from './listen-channel';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Which database. */
  config: StoreConfig;
  /** Run pending migrations and register core's spaces (default true). */
  migrate?: boolean;
  /** TypeORM logger, e.g. a statement counter in tests. */
  logger?: Logger;
}

/** An open store: the data source plus what `/healthz` reports. */
export interface Store {
  readonly dataSource: DataSource;
  readonly kind: StoreKind;
  /** Name of the last applied migration, or null on an empty database. */
  readonly schemaVersion: string | null;
  /** LISTENs on a channel (PostgreSQL: a dedicated connection; PGlite: its own session), e.g. for subscriptions. */
  listen(options: ListenChannelOptions): Promise<ChannelListener>;
  /** This process's lock on the PGlite folder (null on PostgreSQL and in memory), e.g. to publish a server's address. */
  readonly lock: DataDirLock | null;
  /** Destroys the data source, then closes PGlite so its folder reopens cleanly, then releases the folder's lock. */
  close(): Promise<void>;
}

/** Opens the database, applies migrations in one transaction, and registers the search spaces. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { config } = options;
  let pglite: PGlite | undefined;
  let lock: DataDirLock | null = null;
  if (config.kind === 'pglite') {
    const inMemory = config.dataDir.startsWith('memory://');
    // The lock comes first: PGlite must never start on a folder another live process has open (issue 16, defect 1).
    if (!inMemory) lock = await acquireDataDirLock(ensureDataDir(config.dataDir));
    try {
      pglite = await openPGlite(config.dataDir);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }
  const dataSource = createDataSource({
    url: config.kind === 'postgres' ? config.url : undefined,
    pglite,
    logger: options.logger,
  });
  const close = async (): Promise<void> => {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (pglite && !pglite.closed) await pglite.close();
    // Only after PGlite has written and closed its files; if closing failed, the lock goes when the process exits.
    lock?.release();
  };

  try {
    await dataSource.initialize();
  } catch (error) {
    await close();
    const where = config.kind === 'postgres' ? `PostgreSQL at ${redactUrl(config.url)}` : `PGlite in ${config.dataDir}`;
    throw new NashubError(ErrorCode.DATABASE_UNAVAILABLE, `cannot connect to ${where}: ${describe(error)}`, {
      cause: error,
    });
  }

  try {
    if (options.migrate ?? true) {
      await dataSource.runMigrations({ transaction: 'all' });
      await syncSearchSpaces(dataSource, listSpaces());
    }
    const schemaVersion = await readSchemaVersion(dataSource);
    const listen = (listenOptions: ListenChannelOptions): Promise<ChannelListener> =>
      config.kind === 'postgres'
        ? listenPostgres(config.url, listenOptions)
        : listenPGlite(pglite!, dataSource, listenOptions);
    return { dataSource, kind: config.kind, schemaVersion, lock, listen, close };
  } catch (error) {
    await close();
    throw new NashubError(ErrorCode.MIGRATION_FAILED, `migration failed and was rolled back: ${describe(error)}`, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
