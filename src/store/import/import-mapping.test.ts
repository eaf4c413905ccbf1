import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { resolveMapping } from './import-mapping';
import { loadMappingFile, PRESETS_DIR } from './load-mapping-file';

const base = {
  arch: 'arch',
  dataset: 'dataset',
  protocol: { value: 'hp=200' },
  seed: { value: 1 },
  accuracyScale: 'percent',
  metrics: { validAcc: 'acc' },
};

/** The code and field of the error resolveMapping throws, or 'ok'. */
function refusal(raw: unknown): { code: string; field: unknown; message: string } | 'ok' {
  try {
    resolveMapping(raw);
    return 'ok';
  } catch (error) {
    if (!(error instanceof NashubError)) throw error;
    return { code: error.code, field: error.details.field, message: error.message };
  }
}

describe('import mapping schema', () => {
  it('accepts every shipped preset and normalises column names', () => {
    const presets = readdirSync(join(PRESETS_DIR, 'nb201')).map((file) => `nb201/${file.replace('.map.json', '')}`);
    expect(presets.length).toBeGreaterThan(0);
    for (const preset of presets) expect(refusal(loadMappingFile(preset))).toBe('ok');
    const mapping = resolveMapping(base);
    expect(mapping.dataset).toEqual({ column: 'dataset' });
    expect(mapping.seed).toEqual({ value: 1 });
    expect(mapping.metrics).toEqual({ validAcc: 'acc' });
  });

  it('fills CLI defaults for keys the mapping leaves out', () => {
    const { dataset, protocol, seed, ...rest } = base;
    expect(dataset && protocol && seed).toBeTruthy();
    expect(resolveMapping(rest, { dataset: 'cifar10-valid', protocol: 'hp=12', seed: 7 })).toMatchObject({
      dataset: { value: 'cifar10-valid' },
      protocol: { value: 'hp=12' },
      seed: { value: 7 },
    });
  });

  it.each([
    ['a list', [base], ''],
    ['a string', 'arch', ''],
    ['an unknown key', { ...base, colour: 'red' }, 'colour'],
    ['no arch', { ...base, arch: undefined }, 'arch'],
    ['an empty arch', { ...base, arch: '' }, 'arch'],
    ['a numeric arch', { ...base, arch: 3 }, 'arch'],
    ['a bad accuracy scale', { ...base, accuracyScale: 'ratio' }, 'accuracyScale'],
    ['a numeric dataset', { ...base, dataset: 3 }, 'dataset'],
    ['an empty dataset column', { ...base, dataset: { column: '' } }, 'dataset.column'],
    ['an unknown metric', { ...base, metrics: { accuracy: 'acc' } }, 'metrics.accuracy'],
    ['a metric without a column', { ...base, metrics: { validAcc: '' } }, 'metrics.validAcc'],
    ['metrics as a list', { ...base, metrics: ['validAcc'] }, 'metrics'],
    ['a curve that is not a column', { ...base, curves: { trainAcc: 5 } }, 'curves.trainAcc'],
    ['an empty wide list', { ...base, wide: [] }, 'wide'],
    ['a wide rule without a pattern', { ...base, wide: [{}] }, 'wide[0].pattern'],
    ['a wide rule with a bad pattern', { ...base, wide: [{ pattern: '(' }] }, 'wide[0].pattern'],
    ['a wide rule with an unknown metric', { ...base, wide: [{ pattern: 'x', metric: 'acc' }] }, 'wide[0].metric'],
    ['a wide rule without a metric', { ...base, wide: [{ pattern: 'x' }] }, 'wide[0].metric'],
    [
      'a wide rule without a protocol',
      { ...base, protocol: undefined, wide: [{ pattern: 'x', metric: 'validAcc' }] },
      'wide[0].protocol',
    ],
    ['a protocol with zero epochs', { ...base, protocols: { p: { epochs: 0 } } }, 'protocols.p.epochs'],
    ['a protocol with fractional epochs', { ...base, protocols: { p: { epochs: 1.5 } } }, 'protocols.p.epochs'],
    ['a protocol that is a number', { ...base, protocols: { p: 3 } }, 'protocols.p'],
    [
      'a protocol with a numeric description',
      { ...base, protocols: { p: { epochs: 2, description: 1 } } },
      'protocols.p.description',
    ],
    ['a where value that is a number', { ...base, where: { space: 1 } }, 'where.space'],
    ['an external id without a scheme', { ...base, externalId: { column: 'idx', scheme: '' } }, 'externalId.scheme'],
    [
      'an external id with a bad optional flag',
      { ...base, externalId: { column: 'idx', scheme: 'x', optional: 'no' } },
      'externalId.optional',
    ],
    ['a bad seedMean', { ...base, seedMean: 'sometimes' }, 'seedMean'],
    ['keepEmptyRows as text', { ...base, keepEmptyRows: 'yes' }, 'keepEmptyRows'],
    ['no value at all', { ...base, metrics: undefined }, 'metrics'],
    ['no seed', { ...base, seed: undefined }, 'seed'],
  ])('refuses %s with MAPPING_INVALID naming the field', (_, raw, field) => {
    const result = refusal(raw);
    expect(result).toMatchObject({ code: ErrorCode.MAPPING_INVALID, field });
    if (field) expect((result as { message: string }).message).toContain(`field ${field}:`);
  });
});
