import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import { createRng } from '../../random/rng';
import { dartsSpace } from './space';

describe('dartsSpace', () => {
  it('is not enumerable', () => {
    expect(dartsSpace.size).toBeNull();
    try {
      dartsSpace.enumerate();
      expect.unreachable('enumerate should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(NashubError);
      expect((error as NashubError).code).toBe(ErrorCode.NOT_ENUMERABLE);
    }
  });

  it('validates text and objects alike, and ids survive a round trip', () => {
    const genotype = dartsSpace.sample(createRng(4));
    const text = dartsSpace.format(genotype);
    expect(dartsSpace.validate(text)).toEqual(genotype);
    expect(dartsSpace.validate(JSON.parse(JSON.stringify(genotype)))).toEqual(genotype);
    expect(dartsSpace.id(dartsSpace.parse(text))).toBe(dartsSpace.id(genotype));
    expect(dartsSpace.encodings).not.toContain('path');
  });
});

describe('builtin registry', () => {
  it('registers nb201, nb101 and darts, in that order', async () => {
    const { getSpace, listSpaces } = await import('../registry');
    expect(listSpaces().map((space) => space.name)).toEqual(['nb201', 'nb101', 'darts']);
    expect(getSpace('darts')).toBe(dartsSpace);
    expect(getSpace('nb101').title).toBe('NAS-Bench-101');
  });
});
