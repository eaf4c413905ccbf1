/** UPDATE … RETURNING answers `[rows, count]` through TypeORM's postgres driver; SELECT and INSERT answer rows. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
