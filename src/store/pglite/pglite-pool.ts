import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';
import { AsyncMutex } from './async-mutex';

type QueryCallback = (error: Error | null, result?: Results | Results[]) => void;
type ConnectCallback = (error: Error | null, client?: PGliteClient, release?: (error?: Error) => void) => void;

/** Options of {@link createPGlitePoolClass}. */
export interface PGlitePoolOptions {
  /** The database every lease talks to. */
  db: PGlite;
  /**
   * Give one lease at a time the whole session (the default). PGlite has one session per process: without this,
   * statements of concurrent TypeORM query runners interleave, so one's ROLLBACK undoes the other's writes.
   */
  serialise?: boolean;
}

/**
 * One lease of the PGlite session, shaped like a `pg` client as TypeORM's postgres driver uses it. Statements with
 * parameters go through the extended protocol (`query`); statements without may hold several commands (`exec`),
 * as TypeORM's migrations send them, and answer like `pg` does: one command's result, or the results of several.
 */
export class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  /** The database session this lease is of: the PGlite instance's one, which every lease of it shares. */
  get session(): PGlite {
    return this.db;
  }

  query(text: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<Results | Results[]> {
    const cb = typeof params === 'function' ? params : callback;
    const values = typeof params === 'function' ? undefined : params;
    const pending =
      values && values.length > 0
        ? this.db.query<Record<string, unknown>>(text, values)
        : this.db
            .exec(text)
            .then((results): Results | Results[] =>
              results.length > 1 ? results : (results[0] ?? { rows: [], fields: [] }),
            );
    return pending.then(
      (result) => {
        cb?.(null, result);
        return result;
      },
      (error: Error) => {
        cb?.(error);
        throw error;
      },
    );
  }
}

/**
 * Builds the `Pool` class that TypeORM's postgres driver instantiates (`driver: { Pool }`), bound to one PGlite
 * instance. `end()` does not close the instance: its owner does, after the data source is destroyed.
 */
export function createPGlitePoolClass(options: PGlitePoolOptions): new () => EventEmitter {
  const { db, serialise = true } = options;
  const session = new AsyncMutex();

  return class PGlitePool extends EventEmitter {
    connect(callback: ConnectCallback): void {
      const lease = serialise ? session.acquire() : Promise.resolve(() => undefined);
      lease.then(
        (release) => callback(null, new PGliteClient(db), () => release()),
        (error: Error) => callback(error),
      );
    }

    query(text: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<Results | Results[]> {
      return session.acquire().then((release) => new PGliteClient(db).query(text, params, callback).finally(release));
    }

    end(callback?: (error?: Error) => void): void {
      callback?.();
    }
  };
}
