import { QueryFailedError, type QueryRunner } from 'typeorm';

/** A result of the driver: pg's `Result` and PGlite's `Results` both carry the rows. */
interface ScriptResult {
  rows: Array<Record<string, unknown>>;
}

/** The driver's client under a query runner (pg's or PGlite's): several commands without parameters answer each. */
interface ScriptClient {
  query(text: string): Promise<ScriptResult | ScriptResult[]>;
}

/**
 * Sends several commands without parameters in one round trip (the simple query protocol) on the query runner's
 * connection, and answers each command's rows in order. TypeORM's `query` keeps only a single command's rows. The
 * commands run in turn, each with a snapshot of its own; the first that fails ends the script (inside a transaction
 * block, the transaction is then aborted). Logged and failed as TypeORM's queries are. Values must be literals made
 * by {@link sqlLiteral}.
 */
export async function runScript(runner: QueryRunner, text: string): Promise<Array<Array<Record<string, unknown>>>> {
  const client = (await runner.connect()) as ScriptClient;
  const logger = runner.connection.logger;
  logger.logQuery(text, undefined, runner);
  try {
    const raw = await client.query(text);
    return (Array.isArray(raw) ? raw : [raw]).map((result) => result.rows);
  } catch (error) {
    logger.logQueryError(error as Error, text, undefined, runner);
    throw new QueryFailedError(text, undefined, error as Error);
  }
}

/**
 * What a driver client's database session lives as long as, to keep per-session state by (a prepared statement): a
 * PGlite lease's instance (every lease of it shares its one session), else the client itself (pg's: its connection).
 */
export function sessionOf(client: object): object {
  return (client as { session?: object }).session ?? client;
}
