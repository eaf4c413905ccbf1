/** Runs one parameterised statement and returns its rows: the one thing the raw baseline needs from a database. */
export type SqlRunner = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;
