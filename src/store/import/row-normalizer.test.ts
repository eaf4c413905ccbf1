import { describe, expect, it } from 'vitest';
import { nb201Space } from '../../core';
import { resolveMapping } from './import-mapping';
import { RowError } from './row-error';
import { createRowNormalizer } from './row-normalizer';

const arch = nb201Space.format(nb201Space.enumerate()[Symbol.iterator]().next().value!);
const protocolEpochs = new Map([['hp=200', 200]]);
const base = {
  arch: 'arch',
  dataset: { value: 'cifar10-valid' },
  protocol: { value: 'hp=200' },
  accuracyScale: 'percent',
  metrics: { validAcc: 'acc' },
};
const normalizer = (raw: Record<string, unknown>, columns = ['arch', 'acc', 'seed', 'n', 'idx', 'id', 'epoch', 's']) =>
  createRowNormalizer({ space: nb201Space, mapping: resolveMapping(raw), columns, protocolEpochs });
const rowError = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof RowError) return error.message;
    throw error;
  }
  throw new Error('expected a RowError');
};

describe('row normalizer: release-shaped rows', () => {
  const mixed = normalizer({ ...base, seed: 'seed', seedMean: 'whenSeedEmpty', seedCount: 'n' });

  it('reads a seed, or a mean over seeds when the seed cell is empty', () => {
    expect(mixed({ line: 2, values: { arch, acc: 50, seed: 3, n: null } })[0]).toMatchObject({
      seed: 3,
      seedCount: null,
    });
    expect(mixed({ line: 3, values: { arch, acc: 50, seed: null, n: 4 } })[0]).toMatchObject({
      seed: null,
      seedCount: 4,
    });
    expect(mixed({ line: 4, values: { arch, acc: 50, seed: '', n: '' } })[0]).toMatchObject({
      seed: null,
      seedCount: null,
    });
    expect(rowError(() => mixed({ line: 5, values: { arch, acc: 50, seed: 3, n: 4 } }))).toMatch(
      /one seed .* has no seed count/,
    );
    expect(rowError(() => mixed({ line: 6, values: { arch, acc: 50, seed: 'x', n: null } }))).toMatch(
      /seed must be an integer/,
    );
  });

  it('keeps the old meanings of seedMean true and a seed column', () => {
    const means = normalizer({ ...base, seedMean: true, seedCount: 'n' });
    expect(means({ line: 2, values: { arch, acc: 50, n: 3 } })[0]).toMatchObject({ seed: null, seedCount: 3 });
    expect(rowError(() => means({ line: 2, values: { arch, acc: 50, n: null } }))).toMatch(/missing seedCount/);
    const seeds = normalizer({ ...base, seed: 'seed' });
    expect(rowError(() => seeds({ line: 2, values: { arch, acc: 50, seed: '' } }))).toMatch(/missing seed/);
  });

  it('treats an empty optional external id as none', () => {
    const optional = normalizer({
      ...base,
      seed: { value: 1 },
      externalId: { column: 'idx', scheme: 'nb201-index', optional: true },
    });
    expect(optional({ line: 2, values: { arch, acc: 50, idx: null } })[0].externalId).toBeNull();
    expect(optional({ line: 2, values: { arch, acc: 50, idx: 7 } })[0].externalId).toEqual({
      scheme: 'nb201-index',
      id: '7',
    });
    const required = normalizer({ ...base, seed: { value: 1 }, externalId: { column: 'idx', scheme: 'nb201-index' } });
    expect(rowError(() => required({ line: 2, values: { arch, acc: 50, idx: '' } }))).toMatch(/missing external id/);
  });

  it('checks the architecture id a file carries', () => {
    const checked = normalizer({ ...base, seed: { value: 1 }, archId: 'id' });
    expect(checked({ line: 2, values: { arch, acc: 50, id: nb201Space.id(nb201Space.parse(arch)) } })).toHaveLength(1);
    expect(rowError(() => checked({ line: 2, values: { arch, acc: 50, id: 'other' } }))).toMatch(/differs from the id/);
  });

  it('keeps a row without values only when asked', () => {
    expect(
      rowError(() => normalizer({ ...base, seed: { value: 1 } })({ line: 2, values: { arch, acc: null } })),
    ).toMatch(/no value/);
    const kept = normalizer({ ...base, seed: { value: 1 }, keepEmptyRows: true })({
      line: 2,
      values: { arch, acc: null },
    });
    expect(kept).toEqual([expect.objectContaining({ seed: 1, epoch: null, values: {} })]);
  });

  it('reads epoch times in the long curve layout', () => {
    const curve = normalizer({ ...base, seed: { value: 1 }, epoch: 'epoch', epochSeconds: 's' });
    expect(curve({ line: 2, values: { arch, acc: 50, epoch: 3, s: 12.5 } })[0]).toMatchObject({
      epoch: 3,
      values: { validAcc: 50, epochSeconds: 12.5 },
    });
  });
});

describe('resolveMapping: release fields', () => {
  const fieldAtFault = (raw: Record<string, unknown>) => {
    try {
      resolveMapping(raw);
    } catch (error) {
      return (error as { details: { field: string } }).details.field;
    }
    return 'ok';
  };

  it('accepts and checks them', () => {
    expect(fieldAtFault({ ...base, seed: 'seed', seedMean: 'whenSeedEmpty' })).toBe('ok');
    expect(fieldAtFault({ ...base, seed: { value: 1 }, seedMean: 'whenSeedEmpty' })).toBe('seed');
    expect(fieldAtFault({ ...base, seedMean: 'whenSeedEmpty' })).toBe('seed');
    expect(fieldAtFault({ ...base, seed: 'seed', seedMean: true })).toBe('seedMean');
    expect(fieldAtFault({ ...base, seed: 'seed', seedMean: 'sometimes' })).toBe('seedMean');
    expect(fieldAtFault({ ...base, seed: 'seed', epochSeconds: 's' })).toBe('epochSeconds');
    expect(fieldAtFault({ ...base, seed: 'seed', where: { space: 1 } })).toBe('where.space');
    expect(fieldAtFault({ ...base, seed: 'seed', keepEmptyRows: 'yes' })).toBe('keepEmptyRows');
    expect(fieldAtFault({ ...base, seed: 'seed', archId: 3 })).toBe('archId');
    expect(fieldAtFault({ ...base, seed: 'seed', externalId: { column: 'idx', scheme: 'x', optional: 'no' } })).toBe(
      'externalId.optional',
    );
  });
});
