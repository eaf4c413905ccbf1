import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlLiteral } from './sql-literal';

describe('sqlLiteral', () => {
  const db = new PGlite();
  afterAll(() => db.close());

  /** What PostgreSQL reads back from the literal, cast as `type`. */
  const readBack = async (value: Parameters<typeof sqlLiteral>[0], type: string): Promise<unknown> =>
    (await db.query<{ v: unknown }>(`SELECT ${sqlLiteral(value)}::${type} AS v`)).rows[0].v;

  it('reads back strings as written, quotes, backslashes and braces included, as text and in text arrays', async () => {
    const hard = [`it's`, 'back\\slash', '"quoted"', '{a,b}', 'NULL', '', 'é ✓', "'; DROP TABLE x; --", 'a,b'];
    for (const text of hard) expect(await readBack(text, 'text')).toBe(text);
    expect(await readBack(hard, 'text[]')).toEqual(hard);
    expect(await readBack(['a', null, 'NULL'], 'text[]')).toEqual(['a', null, 'NULL']);
  });

  it('reads back doubles exactly, integers, booleans, NULL and empty arrays', async () => {
    const doubles = [0.1, -2.5e-300, 1e21, 91.465, Number.MAX_VALUE, Number.MIN_VALUE, 1 / 3];
    expect(await readBack(doubles, 'float8[]')).toEqual(doubles);
    for (const x of doubles) expect(await readBack(x, 'float8')).toBe(x);
    expect(await readBack([1, null, -7], 'int[]')).toEqual([1, null, -7]);
    expect(await readBack(true, 'boolean')).toBe(true);
    expect(await readBack(null, 'int')).toBeNull();
    expect(await readBack([], 'int[]')).toEqual([]);
    expect(await readBack(JSON.stringify({ curve: [1, 2], s: "it's" }), 'jsonb')).toEqual({ curve: [1, 2], s: "it's" });
  });

  it('refuses a number PostgreSQL cannot read back', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(/not a finite number/);
    expect(() => sqlLiteral([1, Number.POSITIVE_INFINITY])).toThrow(/not a finite number/);
  });
});
