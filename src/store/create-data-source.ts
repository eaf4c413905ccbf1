import { DataSource, type Logger } from 'typeorm';
import type { PGlite } from '@electric-sql/pglite';
import { entities } from './entity';
import { migrations } from '../migrations';
import { createPGlitePoolClass } from './pglite/pglite-pool';

/** Options of {@link createDataSource}. */
export interface CreateDataSourceOptions {
  /** PostgreSQL URL; mutually exclusive with `pglite`. */
  url?: string;
  /** An open PGlite instance; mutually exclusive with `url`. */
  pglite?: PGlite;
  /** Serialise PGlite leases (default true); only a test that demonstrates the hazard turns it off. */
  serialisePGlite?: boolean;
  /** TypeORM logger, e.g. a statement counter. */
  logger?: Logger;
}

/** The single TypeORM data source factory: the same entities and migrations on PostgreSQL and on PGlite. */
export function createDataSource(options: CreateDataSourceOptions): DataSource {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'nashub_migrations',
    migrationsTransactionMode: 'all' as const,
    synchronize: false,
    logger: options.logger,
    logging: options.logger ? (['query', 'error'] as ('query' | 'error')[]) : false,
  };
  if (options.pglite) {
    const Pool = createPGlitePoolClass({ db: options.pglite, serialise: options.serialisePGlite ?? true });
    return new DataSource({ ...common, driver: { Pool }, installExtensions: false });
  }
  return new DataSource({
    ...common,
    url: options.url,
    extra: { connectionTimeoutMillis: 5_000, max: 10 },
  });
}
