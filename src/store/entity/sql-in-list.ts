/** A vocabulary's values as an SQL `IN` list (`'A', 'B'`), so CHECK constraints are written from the one constant. */
export function sqlInList(vocabulary: Record<string, string>): string {
  return Object.values(vocabulary)
    .map((value) => `'${value.replace(/'/g, "''")}'`)
    .join(', ');
}
