/** Where the store lives: embedded PGlite in a folder, or a PostgreSQL server. */
export type StoreConfig =
  | {
      kind: 'pglite';
      /** Data folder; `memory://` keeps everything in memory (nothing survives the process). */
      dataDir: string;
    }
  | {
      kind: 'postgres';
      /** `postgres://user:pass@host:port/db`. */
      url: string;
    };

/** The two kinds of database the store runs on. */
export type StoreKind = StoreConfig['kind'];

/** A connection URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
