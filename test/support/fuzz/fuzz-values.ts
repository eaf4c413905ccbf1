import type { Rng } from '../../../src/core';

/** Picks one element. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** True with probability `p`. */
export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

const UNICODE = [
  'é',
  'ß',
  '中文',
  'العربية',
  '\u200f',
  'e\u0301',
  '😀',
  '👩‍👩‍👧',
  '\ufeff',
  '\u2028',
  'Ω',
  '\ud83d\ude00',
  'ǅ',
  '\u00a0',
];

/** Names the server knows, so that a share of the requests goes past name checks into real work. */
export interface KnownValues {
  archs: readonly string[];
  spaces: readonly string[];
  datasets: readonly string[];
  protocols: readonly string[];
}

/** A random string of one of many kinds: known names, unicode, NUL, control characters, whitespace, long, huge. */
export function fuzzString(rng: Rng, known: readonly string[]): string {
  const kind = rng.int(12);
  switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
      return known.length > 0 ? pick(rng, known) : 'x';
    case 4:
      return Array.from({ length: 1 + rng.int(12) }, () => pick(rng, UNICODE)).join('');
    case 5:
      return `${pick(rng, known.length > 0 ? known : ['x'])}\u0000${rng.int(10)}`;
    case 6:
      return pick(rng, [
        '',
        ' ',
        '  nb201 ',
        '\t',
        '\n',
        '\u0001\u0002',
        '\\',
        '"',
        "'; DROP TABLE run; --",
        '%s%n',
        '{}',
        '[]',
        'null',
        '\ud800',
        '\udfff',
      ]);
    case 7:
      return `n${rng.int(1e9).toString(36)}`;
    case 8:
      return 'x'.repeat(1 + rng.int(3_000));
    case 9:
      return chance(rng, 0.1)
        ? 'y'.repeat(200_000 + rng.int(800_000))
        : pick(rng, ['😀'.repeat(5_000), 'é'.repeat(10_000), '\u0000'.repeat(1_000)]);
    case 10:
      return `|${pick(rng, ['none', 'skip_connect', 'conv_5x5', 'nor_conv_3x3', ''])}~${rng.int(4) - 1}|+|`;
    default:
      return String(rng.int(20_000) - 2);
  }
}

/** A random integer: edges (0, -1, 2^31 - 1, limits ± 1) and small values. */
export function fuzzInt(rng: Rng, argument: string): number {
  if (['n', 'k', 'first'].includes(argument))
    return pick(rng, [0, 1, 3, 10, 100, 999, 1_000, 1_001, 10_000, 10_001, -1]);
  if (argument === 'targetEpoch' || argument === 'epoch' || argument === 'epochs')
    return pick(rng, [0, 1, 2, 3, 4, 12, 200, 201, 300, 1_000_000, 1_000_001, -5]);
  return pick(rng, [0, 1, 2, 7, -1, 42, 2_147_483_647, -2_147_483_648, rng.int(100_000)]);
}

/** A random float, accuracies mostly, with out-of-scale and extreme values. */
export function fuzzFloat(rng: Rng): number {
  return chance(rng, 0.8)
    ? Math.round(rng.next() * 100_000) / 1_000
    : pick(rng, [0, -1, 100, 100.5, 150, 1e-300, 1e300, 0.5, -0]);
}

/** A random JSON value nested up to `depth` levels (sometimes past maxInputDepth). */
export function fuzzJson(rng: Rng, depth: number): unknown {
  if (depth <= 0 || chance(rng, 0.3)) return pick<unknown>(rng, [1, 'a', true, null, 2.5, '\u0000', '😀']);
  if (chance(rng, 0.5)) return Array.from({ length: rng.int(3) }, () => fuzzJson(rng, depth - 1));
  return Object.fromEntries(Array.from({ length: 1 + rng.int(3) }, (_, i) => [`k${i}`, fuzzJson(rng, depth - 1)]));
}

/** JSON text of an object nested `depth` deep, written by hand (JSON.stringify overflows near 5,000 levels). */
export function deepJsonText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
