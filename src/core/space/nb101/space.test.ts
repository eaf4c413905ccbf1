import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../error/nashub-error';
import { createRng } from '../../random/rng';
import { nb101Space } from './space';

describe('nb101Space', () => {
  it('is not enumerable', () => {
    expect(nb101Space.size).toBeNull();
    try {
      nb101Space.enumerate();
      expect.unreachable('enumerate should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(NashubError);
      expect((error as NashubError).code).toBe(ErrorCode.NOT_ENUMERABLE);
    }
  });

  it('validates strings and objects alike, and ids survive a round trip', () => {
    const arch = nb101Space.sample(createRng(4));
    const text = nb101Space.format(arch);
    expect(nb101Space.validate(text)).toEqual(arch);
    expect(nb101Space.validate(JSON.parse(text))).toEqual(arch);
    expect(nb101Space.id(nb101Space.parse(text))).toBe(nb101Space.id(arch));
    expect(nb101Space.isoClass(arch)).toBe(nb101Space.id(arch));
  });

  it('reports costs with the default macro', () => {
    const cost = nb101Space.cost(nb101Space.sample(createRng(1)));
    expect(cost.paramsM).toBeGreaterThan(0.2);
    expect(cost.flopsM).toBeGreaterThan(10);
  });
});
