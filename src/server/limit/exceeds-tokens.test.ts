import { describe, expect, it } from 'vitest';
import { exceedsDepth } from './exceeds-depth';
import { exceedsTokens } from './exceeds-tokens';

describe('exceedsTokens', () => {
  it('counts lexical tokens, not characters', () => {
    expect(exceedsTokens('{ spaces { id } }', 6)).toBe(false);
    expect(exceedsTokens('{ spaces { id } }', 5)).toBe(true);
    expect(exceedsTokens(`{ a(x: "${'long string '.repeat(1_000)}") }`, 100)).toBe(false);
    expect(exceedsTokens(`{ ${'s: spaces { id } '.repeat(2_000)} }`, 10_000)).toBe(true);
  });

  it('leaves a lexing error to the parser', () => {
    expect(exceedsTokens(`{ ${'a '.repeat(100)} "unterminated`, 150)).toBe(false);
  });
});

describe('exceedsDepth', () => {
  it('measures nesting of objects and arrays without recursion', () => {
    expect(exceedsDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(exceedsDepth({ a: [{ b: 1 }] }, 2)).toBe(true);
    expect(exceedsDepth('x'.repeat(10), 0)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(exceedsDepth(deep, 32)).toBe(true);
  });
});
