import { escapeLiteral } from 'pg';

/** A value {@link sqlLiteral} writes: an array is written as a PostgreSQL array of its elements. */
export type LiteralValue = string | number | boolean | null | ReadonlyArray<string | number | boolean | null>;

function element(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  const text = scalarText(value);
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

function scalarText(value: string | number | boolean): string {
  if (typeof value === 'number') {
    // The shortest text that reads back as the same double: float8's and int's input parse it exactly.
    if (!Number.isFinite(value)) throw new Error(`sqlLiteral: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

/**
 * A parameter written into SQL text as a quoted literal, for statements sent without parameters (several commands in
 * one round trip: {@link runScript}); the SQL casts it as it would cast `$n` (`'{1,2}'::int[]`, `'0.5'::float8`).
 * Strings are escaped by pg's `escapeLiteral`; arrays use PostgreSQL's array syntax with every element quoted.
 */
export function sqlLiteral(value: LiteralValue): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return escapeLiteral(`{${value.map(element).join(',')}}`);
  return escapeLiteral(scalarText(value as string | number | boolean));
}
