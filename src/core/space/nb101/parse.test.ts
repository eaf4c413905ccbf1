import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../error/nashub-error';
import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import { garbageText, invalidArchitectureOf, parserCases } from '../../../../test/support/parser-cases';
import { createRng } from '../../random/rng';
import { formatNb101 } from './format';
import { Nb101InvalidReason } from './invalid-reason';
import { parseNb101 } from './parse';
import { sampleNb101 } from './sample';
import { validateNb101 } from './validate';
import { C1, C3, INCEPTION, MP } from '../../../../test/support/nb101-cells';

function text(matrix: number[][], ops: string[]): string {
  return JSON.stringify({ matrix, ops });
}

/** A square zero matrix of size n with the given edges set. */
function matrixOf(n: number, edges: [number, number][]): number[][] {
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const [i, j] of edges) matrix[i][j] = 1;
  return matrix;
}

describe('parseNb101', () => {
  it('reads the JSON form and formats the pruned cell as compact JSON', () => {
    const pretty = JSON.stringify(INCEPTION, null, 2);
    const arch = parseNb101(pretty);
    expect(arch).toEqual(INCEPTION);
    expect(formatNb101(arch)).toBe(JSON.stringify(INCEPTION));
  });

  it('prunes vertices off every input → output path', () => {
    // Vertex 2 has no way to the output, vertex 3 no way from the input.
    const matrix = matrixOf(5, [
      [0, 1],
      [1, 4],
      [0, 2],
      [3, 4],
    ]);
    const arch = parseNb101(text(matrix, ['input', C3, C1, MP, 'output']));
    expect(arch).toEqual({
      matrix: [
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
      ops: ['input', C3, 'output'],
    });
  });

  it('applies the 9-edge limit to the pruned cell, as NAS-Bench-101 does', () => {
    // 10 given edges, but vertex 5 feeds nothing: pruning drops it with its two in-edges, leaving 8.
    const edges: [number, number][] = [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, 5],
      [1, 6],
      [2, 6],
      [3, 6],
      [4, 6],
      [1, 5],
    ];
    const arch = parseNb101(text(matrixOf(7, edges), ['input', C3, C3, C3, C3, C3, 'output']));
    expect(arch.ops).toHaveLength(6);
  });

  it.each([
    [
      'unknown op',
      text(
        matrixOf(3, [
          [0, 1],
          [1, 2],
        ]),
        ['input', 'conv5x5', 'output'],
      ),
      'unknown-op',
      'ops[1]',
    ],
    [
      'a non-string op',
      text(
        matrixOf(3, [
          [0, 1],
          [1, 2],
        ]),
        ['input', 7 as unknown as string, 'output'],
      ),
      'unknown-op',
      'ops[1]',
    ],
    [
      'a lower-triangular 1',
      text(
        matrixOf(3, [
          [0, 1],
          [1, 2],
          [2, 1],
        ]),
        ['input', C3, 'output'],
      ),
      'not-upper-triangular',
      'matrix[2][1]',
    ],
    [
      'a diagonal 1',
      text(
        matrixOf(3, [
          [0, 1],
          [1, 2],
          [1, 1],
        ]),
        ['input', C3, 'output'],
      ),
      'not-upper-triangular',
      'matrix[1][1]',
    ],
    [
      '8 vertices',
      text(matrixOf(8, [[0, 7]]), ['input', C3, C3, C3, C3, C3, C3, 'output']),
      'too-many-vertices',
      'matrix',
    ],
    ['1 vertex', text([[0]], ['input']), 'too-few-vertices', 'matrix'],
    [
      '10 edges',
      text(
        matrixOf(7, [
          [0, 1],
          [0, 2],
          [0, 3],
          [0, 4],
          [0, 5],
          [1, 6],
          [2, 6],
          [3, 6],
          [4, 6],
          [5, 6],
        ]),
        ['input', C3, C3, C3, C3, C3, 'output'],
      ),
      'too-many-edges',
      'matrix',
    ],
    [
      'missing output',
      text(
        matrixOf(3, [
          [0, 1],
          [1, 2],
        ]),
        ['input', C3, C3],
      ),
      'missing-output',
      'ops[2]',
    ],
    [
      'missing input',
      text(
        matrixOf(3, [
          [0, 1],
          [1, 2],
        ]),
        [C3, C3, 'output'],
      ),
      'missing-input',
      'ops[0]',
    ],
    [
      'an interior output',
      text(
        matrixOf(4, [
          [0, 1],
          [1, 2],
          [2, 3],
        ]),
        ['input', 'output', C3, 'output'],
      ),
      'misplaced-io',
      'ops[1]',
    ],
    [
      'input and output disconnected',
      text(
        matrixOf(4, [
          [0, 1],
          [2, 3],
        ]),
        ['input', C3, C3, 'output'],
      ),
      'disconnected',
      'matrix',
    ],
    ['ops shorter than the matrix', text(matrixOf(3, [[0, 2]]), ['input', 'output']), 'size-mismatch', 'ops'],
    ['a ragged matrix', JSON.stringify({ matrix: [[0, 1], [0]], ops: ['input', 'output'] }), 'not-square', 'matrix[1]'],
    [
      'an entry of 2',
      text(
        [
          [0, 2],
          [0, 0],
        ],
        ['input', 'output'],
      ),
      'bad-entry',
      'matrix[0][1]',
    ],
    [
      'an entry of true',
      JSON.stringify({
        matrix: [
          [0, true],
          [0, 0],
        ],
        ops: ['input', 'output'],
      }),
      'bad-entry',
      'matrix[0][1]',
    ],
    ['an unknown field', JSON.stringify({ ...INCEPTION, hash: 'x' }), 'unknown-field', 'hash'],
    ['a missing matrix', JSON.stringify({ ops: INCEPTION.ops }), 'missing-field', 'matrix'],
    ['a JSON array', '[1, 2]', 'wrong-type', undefined],
  ])('rejects %s', (_name, input, reason, field) => {
    const error = invalidArchitectureOf(() => parseNb101(input));
    expect(error.code).toBe(ErrorCode.INVALID_ARCHITECTURE);
    expect(error.details).toMatchObject({ space: 'nb101', reason });
    expect(error.details.field).toBe(field);
  });

  it.each([
    ['empty string', '', 'empty', 0],
    ['whitespace', ' \n\t', 'empty', 0],
    ['malformed JSON', '{"matrix": [[0, 1], [0, 0]], "ops": ["input", "output"]', 'malformed-json', undefined],
    [
      'stray characters after the JSON',
      `${JSON.stringify(INCEPTION)} x`,
      'malformed-json',
      JSON.stringify(INCEPTION).length + 1,
    ],
    ['not JSON at all', 'input -> output', 'malformed-json', undefined],
  ])('rejects %s', (_name, input, reason, position) => {
    const error = invalidArchitectureOf(() => parseNb101(input));
    expect(error.details).toMatchObject({ space: 'nb101', reason });
    if (position !== undefined) expect(error.details.position).toBe(position);
  });

  it('keeps the JSON parser error as the cause', () => {
    expect(invalidArchitectureOf(() => parseNb101('{')).cause).toBeInstanceOf(SyntaxError);
  });

  parserCases(
    {
      parse: parseNb101,
      format: formatNb101,
      sample: sampleNb101,
      validate: validateNb101,
      huge: `{"matrix": [${' '.repeat(1_000_000)}]}`,
      maxLength: 4096,
      seed: 101,
      samples: 500,
    },
    Nb101InvalidReason.TOO_LONG,
  );

  it('throws nothing but InvalidArchitectureError on random garbage and mangled cells', () => {
    const rng = createRng(11);
    const alphabet = '{}[]",:01 matrixopsinputoutputconv3x1-bnrelumaxpool\n\\e+-.2';
    const base = JSON.stringify(INCEPTION);
    const texts: string[] = [];
    for (let i = 0; i < 1500; i++) {
      texts.push(garbageText(rng, alphabet));
      const chars = [...base];
      for (let k = 1 + rng.int(4); k > 0; k--) chars[rng.int(chars.length)] = alphabet[rng.int(alphabet.length)];
      texts.push(chars.join(''));
    }
    texts.push(
      'null',
      'true',
      '1e999',
      '"x"',
      '{}',
      `${'['.repeat(3000)}${']'.repeat(3000)}`,
      '{"matrix":{"length":3},"ops":[]}',
    );
    for (const input of texts) {
      try {
        parseNb101(input);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArchitectureError);
      }
    }
  });
});
