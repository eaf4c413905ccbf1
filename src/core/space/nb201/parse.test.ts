import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../error/nashub-error';
import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import { garbageText, invalidArchitectureOf, parserCases } from '../../../../test/support/parser-cases';
import { createRng } from '../../random/rng';
import { formatNb201 } from './format';
import { Nb201InvalidReason } from './invalid-reason';
import { parseNb201 } from './parse';
import { sampleNb201 } from './sample';

const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';

describe('parseNb201', () => {
  it('reads the six ops in edge order and formats back to the same text', () => {
    const arch = parseNb201(BEST);
    expect(arch).toEqual([
      'nor_conv_3x3',
      'nor_conv_3x3',
      'nor_conv_3x3',
      'skip_connect',
      'nor_conv_3x3',
      'nor_conv_3x3',
    ]);
    expect(formatNb201(arch)).toBe(BEST);
    expect(formatNb201(parseNb201(formatNb201(arch)))).toBe(BEST);
  });

  it('ignores outer whitespace only, and reports positions in the untrimmed text', () => {
    expect(formatNb201(parseNb201(`  \n${BEST}\t `))).toBe(BEST);
    const error = invalidArchitectureOf(() => parseNb201(`  ${BEST.replace('|+|', '| +|')}`));
    expect(error.details).toMatchObject({ reason: Nb201InvalidReason.UNEXPECTED_CHARACTER, position: 2 + 16 });
  });

  it.each([
    ['unknown op', '|foo~0|+|none~0|none~1|+|none~0|none~1|none~2|', 'unknown-op', 1, 'ops[0]'],
    ['unknown op later', '|none~0|+|none~0|none~1|+|none~0|conv~1|none~2|', 'unknown-op', 33, 'ops[4]'],
    ['~3 on node 2', '|none~0|+|none~0|none~3|+|none~0|none~1|none~2|', 'wrong-input-index', 22, 'ops[2]'],
    ['inputs out of order', '|none~0|+|none~1|none~0|+|none~0|none~1|none~2|', 'wrong-input-index', 15, 'ops[1]'],
    ['leading zero index', '|none~00|+|none~0|none~1|+|none~0|none~1|none~2|', 'wrong-input-index', 6, 'ops[0]'],
    ['too few nodes', '|none~0|+|none~0|none~1|', 'wrong-node-count', 24, undefined],
    ['too many nodes', '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|', 'wrong-node-count', 47, undefined],
    ['too few edges on node 3', '|none~0|+|none~0|none~1|+|none~0|none~1|', 'wrong-edge-count', 40, undefined],
    [
      'too many edges on node 1',
      '|none~0|none~1|+|none~0|none~1|+|none~0|none~1|none~2|',
      'wrong-edge-count',
      8,
      undefined,
    ],
    ['stray character', '|none~0|x+|none~0|none~1|+|none~0|none~1|none~2|', 'unexpected-character', 8, undefined],
    ['trailing characters', '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|abc', 'trailing-characters', 47, undefined],
    [
      'too many edges on node 3',
      '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|none~3|',
      'wrong-edge-count',
      47,
      undefined,
    ],
    ['missing tilde', '|none0|+|none~0|none~1|+|none~0|none~1|none~2|', 'unknown-op', 1, 'ops[0]'],
    ['missing index', '|none~|+|none~0|none~1|+|none~0|none~1|none~2|', 'unexpected-character', 6, undefined],
    ['missing leading bar', 'none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 'unexpected-character', 0, undefined],
    ['inner whitespace', '|none ~0|+|none~0|none~1|+|none~0|none~1|none~2|', 'unexpected-character', 5, undefined],
    ['empty', '', 'empty', 0, undefined],
    ['only whitespace', ' \n\t ', 'empty', 0, undefined],
  ])('rejects %s', (_name, text, reason, position, field) => {
    const error = invalidArchitectureOf(() => parseNb201(text));
    expect(error.code).toBe(ErrorCode.INVALID_ARCHITECTURE);
    expect(error.details).toMatchObject({ space: 'nb201', reason, position });
    expect(error.details.field).toBe(field);
  });

  parserCases(
    {
      parse: parseNb201,
      format: formatNb201,
      sample: sampleNb201,
      huge: BEST.repeat(Math.ceil(1_000_000 / BEST.length)),
      maxLength: 1024,
      seed: 201,
      samples: 2000,
    },
    Nb201InvalidReason.TOO_LONG,
  );

  it('throws nothing but InvalidArchitectureError on random garbage and mangled strings', () => {
    const rng = createRng(7);
    const alphabet = '|+~0123 none_skipconvavgpool3x1\n\t#(';
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      texts.push(garbageText(rng, alphabet));
      const valid = formatNb201(sampleNb201(rng));
      const at = rng.int(valid.length);
      texts.push(valid.slice(0, at) + alphabet[rng.int(alphabet.length)] + valid.slice(at + rng.int(3)));
    }
    for (const text of texts) {
      try {
        expect(formatNb201(parseNb201(text))).toBe(text.trim());
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArchitectureError);
        expect((error as InvalidArchitectureError).details.position).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
