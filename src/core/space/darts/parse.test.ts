import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../error/nashub-error';
import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import { garbageText, invalidArchitectureOf, parserCases } from '../../../../test/support/parser-cases';
import { createRng } from '../../random/rng';
import { formatDarts } from './format';
import { DartsInvalidReason } from './invalid-reason';
import { parseDarts } from './parse';
import { sampleDarts } from './sample';
import { validateDarts } from './validate';

// DARTS_V2 exactly as DARTS's cnn/genotypes.py writes it.
const DARTS_V2 =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";
// Its canonical form: each node's pairs sorted by input.
const DARTS_V2_CANONICAL =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('skip_connect', 2), ('max_pool_3x3', 1), ('skip_connect', 2)], reduce_concat=[2, 3, 4, 5])";

/** DARTS_V2 with the first occurrence of `from` after offset `after` replaced by `to`; returns the text and offset. */
function mangle(from: string, to: string, after = 0): [string, number] {
  const at = DARTS_V2.indexOf(from, after);
  return [DARTS_V2.slice(0, at) + to + DARTS_V2.slice(at + from.length), at];
}

const JSON_V2 = {
  normal: [
    ['sep_conv_3x3', 0],
    ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0],
    ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 1],
    ['skip_connect', 0],
    ['skip_connect', 0],
    ['dil_conv_3x3', 2],
  ],
  reduce: [
    ['max_pool_3x3', 0],
    ['max_pool_3x3', 1],
    ['skip_connect', 2],
    ['max_pool_3x3', 1],
    ['max_pool_3x3', 0],
    ['skip_connect', 2],
    ['skip_connect', 2],
    ['max_pool_3x3', 1],
  ],
};

describe('parseDarts', () => {
  it('reads DARTS_V2 and formats it canonical', () => {
    const genotype = parseDarts(DARTS_V2);
    expect(genotype.normal[4]).toEqual({ op: 'skip_connect', input: 0 });
    expect(formatDarts(genotype)).toBe(DARTS_V2_CANONICAL);
    expect(formatDarts(parseDarts(DARTS_V2_CANONICAL))).toBe(DARTS_V2_CANONICAL);
  });

  it('tolerates whitespace, both quotes, tuples, trailing commas, range() concats, any field order, no concats', () => {
    const variants = [
      DARTS_V2.replaceAll("'", '"'),
      DARTS_V2.replaceAll(', ', ',\n    ').replace('Genotype(', '  Genotype(\n    '),
      DARTS_V2.replaceAll('[2, 3, 4, 5]', 'range(2, 6)'),
      DARTS_V2.replaceAll('[2, 3, 4, 5]', '(2, 3, 4, 5,)')
        .replace('=[(', '=((')
        .replace(')], normal_concat', '),), normal_concat'),
      DARTS_V2.replace(', normal_concat=[2, 3, 4, 5]', '').replace(', reduce_concat=[2, 3, 4, 5]', ''),
      `Genotype(reduce=${DARTS_V2.slice(DARTS_V2.indexOf('reduce=') + 7, DARTS_V2.indexOf(', reduce_concat'))}, ${DARTS_V2.slice(9, DARTS_V2.indexOf(', reduce='))})`,
    ];
    for (const text of variants) expect(formatDarts(parseDarts(text))).toBe(DARTS_V2_CANONICAL);
  });

  it('reads the JSON form, with or without concats', () => {
    expect(formatDarts(parseDarts(JSON.stringify(JSON_V2)))).toBe(DARTS_V2_CANONICAL);
    const withConcat = { ...JSON_V2, normal_concat: [2, 3, 4, 5], reduce_concat: [2, 3, 4, 5] };
    expect(formatDarts(parseDarts(` ${JSON.stringify(withConcat, null, 1)}`))).toBe(DARTS_V2_CANONICAL);
  });

  it.each([
    ['an unknown op', ...mangle("'dil_conv_3x3'", "'conv_7x1_1x7'"), 'unknown-op', 'normal[7][0]'],
    ['none', ...mangle("'max_pool_3x3', 1", "'none', 1"), 'unknown-op', 'reduce[1][0]'],
    [
      'an input beyond the node',
      ...mangle("('dil_conv_3x3', 2)", "('dil_conv_3x3', 5)"),
      'bad-input-index',
      'normal[7][1]',
    ],
    [
      'node 0 reading node 0',
      ...mangle("('max_pool_3x3', 1)", "('max_pool_3x3', 2)"),
      'bad-input-index',
      'reduce[1][1]',
    ],
    ['a negative input', ...mangle("('sep_conv_3x3', 1)", "('sep_conv_3x3', -1)"), 'bad-input-index', 'normal[1][1]'],
    [
      'two pairs of a node on one input',
      ...mangle("('sep_conv_3x3', 1)", "('sep_conv_3x3', 0)"),
      'duplicate-input',
      'normal[1][1]',
    ],
  ])('rejects %s', (_name, text, at, reason, field) => {
    const error = invalidArchitectureOf(() => parseDarts(text));
    expect(error.code).toBe(ErrorCode.INVALID_ARCHITECTURE);
    expect(error.details).toMatchObject({ space: 'darts', reason, field });
    // The position points into the replaced pair.
    expect(error.details.position).toBeGreaterThanOrEqual(at);
    expect(error.details.position).toBeLessThan(at + 25);
  });

  it.each([
    [
      '7 pairs',
      DARTS_V2.replace("('dil_conv_3x3', 2)]", ']').replace(', ]', ']'),
      'wrong-pair-count',
      'normal',
      DARTS_V2.indexOf('[('),
    ],
    [
      '9 pairs',
      DARTS_V2.replace("('dil_conv_3x3', 2)]", "('dil_conv_3x3', 2), ('dil_conv_3x3', 3)]"),
      'wrong-pair-count',
      'normal',
      DARTS_V2.indexOf('[('),
    ],
    [
      'an empty cell',
      DARTS_V2.replace(/reduce=\[.*\], reduce_concat/, 'reduce=[], reduce_concat'),
      'wrong-pair-count',
      'reduce',
      DARTS_V2.indexOf('reduce=') + 7,
    ],
    [
      'a concat of [2, 3, 4]',
      DARTS_V2.replace('normal_concat=[2, 3, 4, 5]', 'normal_concat=[2, 3, 4]'),
      'bad-concat',
      'normal_concat',
      DARTS_V2.indexOf('[2, 3'),
    ],
    [
      'a huge range',
      DARTS_V2.replace('reduce_concat=[2, 3, 4, 5]', 'reduce_concat=range(2, 999999999999)'),
      'bad-concat',
      'reduce_concat',
      DARTS_V2.lastIndexOf('[2, 3'),
    ],
    [
      'an unknown field',
      DARTS_V2.replace('normal_concat', 'normal_cat'),
      'unknown-field',
      'normal_cat',
      DARTS_V2.indexOf('normal_concat'),
    ],
    [
      'a field twice',
      DARTS_V2.replace('reduce_concat', 'normal_concat'),
      'duplicate-field',
      'normal_concat',
      DARTS_V2.indexOf('reduce_concat'),
    ],
    ['a missing cell', DARTS_V2.replace(/, reduce=\[.*\]/, ''), 'missing-field', 'reduce', undefined],
  ])('rejects %s', (_name, text, reason, field, position) => {
    const error = invalidArchitectureOf(() => parseDarts(text));
    expect(error.details).toMatchObject({ space: 'darts', reason, field });
    expect(error.details.position).toBe(position);
  });

  it.each([
    [
      'stray characters inside',
      DARTS_V2.replace("('sep_conv_3x3', 1)", "('sep_conv_3x3', 1)$"),
      'stray-characters',
      DARTS_V2.indexOf("('sep_conv_3x3', 1)") + 19,
    ],
    ['stray characters after', `${DARTS_V2} extra`, 'stray-characters', DARTS_V2.length + 1],
    [
      'a decimal input',
      DARTS_V2.replace("'sep_conv_3x3', 1)", "'sep_conv_3x3', 1.0)"),
      'stray-characters',
      DARTS_V2.indexOf("'sep_conv_3x3', 1)") + 17,
    ],
    [
      'an unquoted op',
      DARTS_V2.replace("'sep_conv_3x3'", 'sep_conv_3x3'),
      'unexpected-token',
      DARTS_V2.indexOf("'sep"),
    ],
    [
      'a missing comma',
      DARTS_V2.replace("('sep_conv_3x3', 0)", "('sep_conv_3x3' 0)"),
      'unexpected-token',
      DARTS_V2.indexOf("('sep") + 16,
    ],
    ['another name', DARTS_V2.replace('Genotype', 'Genome'), 'unexpected-token', 0],
    ['a cut-off text', DARTS_V2.slice(0, 100), 'unexpected-end', 100],
    ['an unterminated string', "Genotype(normal=[('sep_conv_3x3, 0)])", 'unterminated-string', 18],
    ['an empty string', '', 'empty', 0],
    ['whitespace', '  \n ', 'empty', 0],
    // The JSON parser names an offset for some faults only, and its wording varies across Node versions.
    ['malformed JSON', '{"normal": [["sep_conv_3x3", 0]', 'malformed-json', 'any'],
  ])('rejects %s', (_name, text, reason, position) => {
    const error = invalidArchitectureOf(() => parseDarts(text));
    expect(error.details).toMatchObject({ space: 'darts', reason });
    if (position !== 'any') expect(error.details.position).toBe(position);
  });

  it.each([
    ['a short cell', { ...JSON_V2, normal: JSON_V2.normal.slice(1) }, 'wrong-pair-count', 'normal'],
    [
      'a bad input',
      { ...JSON_V2, normal: JSON_V2.normal.map((pair, i) => (i === 5 ? ['skip_connect', 4] : pair)) },
      'bad-input-index',
      'normal[5][1]',
    ],
    [
      'a fractional input',
      { ...JSON_V2, reduce: JSON_V2.reduce.map((pair, i) => (i === 2 ? ['skip_connect', 1.5] : pair)) },
      'bad-input-index',
      'reduce[2][1]',
    ],
    [
      'an unknown op',
      { ...JSON_V2, reduce: JSON_V2.reduce.map((pair, i) => (i === 6 ? ['conv', 2] : pair)) },
      'unknown-op',
      'reduce[6][0]',
    ],
    [
      'a three-element pair',
      { ...JSON_V2, normal: JSON_V2.normal.map((pair, i) => (i === 3 ? [...pair, 1] : pair)) },
      'bad-pair',
      'normal[3]',
    ],
    ['a bad concat', { ...JSON_V2, reduce_concat: [2, 3, 4, 5, 6] }, 'bad-concat', 'reduce_concat'],
    ['an unknown field', { ...JSON_V2, genotype: 'x' }, 'unknown-field', 'genotype'],
    ['a missing cell', { normal: JSON_V2.normal }, 'missing-field', 'reduce'],
  ])('rejects JSON with %s', (_name, value, reason, field) => {
    const error = invalidArchitectureOf(() => parseDarts(JSON.stringify(value)));
    expect(error.details).toMatchObject({ space: 'darts', reason, field });
  });

  parserCases(
    {
      parse: parseDarts,
      format: formatDarts,
      sample: sampleDarts,
      validate: validateDarts,
      huge: DARTS_V2.repeat(Math.ceil(1_000_000 / DARTS_V2.length)),
      maxLength: 4096,
      seed: 301,
      samples: 1000,
    },
    DartsInvalidReason.TOO_LONG,
  );

  it('throws nothing but InvalidArchitectureError on random garbage and mangled genotypes', () => {
    const rng = createRng(13);
    const alphabet = 'Genotype()[]{},=\'"0123456789- normalreduce_concatrangesep_conv_3x3skipmaxpool\n:.$';
    const texts: string[] = [];
    for (let i = 0; i < 1500; i++) {
      texts.push(garbageText(rng, alphabet));
      const base = i % 2 === 0 ? DARTS_V2 : JSON.stringify(JSON_V2);
      const chars = [...base];
      for (let k = 1 + rng.int(4); k > 0; k--) chars[rng.int(chars.length)] = alphabet[rng.int(alphabet.length)];
      texts.push(chars.join(''));
      texts.push(base.slice(0, rng.int(base.length)));
    }
    texts.push('{}', '{"normal": {"length": 8}}', '{"normal": null, "reduce": 1}', `{${'['.repeat(1000)}`);
    for (const text of texts) {
      try {
        parseDarts(text);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArchitectureError);
      }
    }
  });
});
