/** A mapping's `where` as a predicate over a row's values; undefined when every row is imported. */
export function createRowFilter(
  where: Record<string, string> | undefined,
): ((values: Record<string, unknown>) => boolean) | undefined {
  const entries = Object.entries(where ?? {});
  if (entries.length === 0) return undefined;
  return (values) =>
    entries.every(
      ([column, expected]) =>
        values[column] !== null && values[column] !== undefined && String(values[column]) === expected,
    );
}
