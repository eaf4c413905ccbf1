import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** A LISTEN in progress; `close()` stops it (UNLISTEN, and on PostgreSQL closes its connection). */
export interface ChannelListener {
  close(): Promise<void>;
}

/** Options of {@link listenChannel}. */
export interface ListenChannelOptions {
  /** A PostgreSQL identifier, e.g. `nashub_job`. */
  channel: string;
  /** Called with each NOTIFY payload, in commit order. */
  onNotify(payload: string): void;
  /** The connection failed (PostgreSQL): no more payloads come; listen again to resume. */
  onError(error: Error): void;
}

/**
 * LISTEN on PostgreSQL: a dedicated `pg` connection (a pooled one would be handed to other queries), so NOTIFYs from
 * every process on the database arrive. NOTIFY is delivered at commit, so listeners never see rolled-back events.
 */
export async function listenPostgres(url: string, options: ListenChannelOptions): Promise<ChannelListener> {
  const client = new Client({ connectionString: url });
  client.on('notification', (message) => {
    if (message.channel === options.channel && message.payload !== undefined) options.onNotify(message.payload);
  });
  client.on('error', (error) => {
    options.onError(error);
    client.end().catch(() => undefined);
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${quoteIdentifier(options.channel)}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    close: async () => {
      await client.end();
    },
  };
}

/**
 * LISTEN on PGlite (one session per process, so this sees the process's own NOTIFYs, which is all there are). The
 * LISTEN statement runs while a TypeORM lease of the session is held, so it cannot land inside another caller's
 * transaction (where a ROLLBACK would undo it).
 */
export async function listenPGlite(
  pglite: PGlite,
  dataSource: DataSource,
  options: ListenChannelOptions,
): Promise<ChannelListener> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let unlisten: () => Promise<void>;
  try {
    unlisten = await pglite.listen(options.channel, options.onNotify);
  } finally {
    await runner.release();
  }
  return {
    close: async () => {
      if (pglite.closed) return;
      const closing = dataSource.createQueryRunner();
      await closing.connect();
      try {
        await unlisten();
      } finally {
        await closing.release();
      }
    },
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
