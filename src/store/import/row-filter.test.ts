import { describe, expect, it } from 'vitest';
import { createRowFilter } from './row-filter';

describe('createRowFilter', () => {
  it('selects rows whose columns hold the given values', () => {
    expect(createRowFilter(undefined)).toBeUndefined();
    expect(createRowFilter({})).toBeUndefined();
    const nb201 = createRowFilter({ space: 'nb201', seed: '3' })!;
    expect(nb201({ space: 'nb201', seed: 3 })).toBe(true);
    expect(nb201({ space: 'nb101', seed: 3 })).toBe(false);
    expect(nb201({ space: 'nb201', seed: null })).toBe(false);
    expect(nb201({ space: 'nb201' })).toBe(false);
  });
});
