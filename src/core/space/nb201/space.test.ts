import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng';
import { getSpace, listSpaces } from '../registry';
import { nb201Space } from './space';

describe('nb201Space', () => {
  it('is registered as nb201', () => {
    expect(getSpace('nb201')).toBe(nb201Space);
    expect(listSpaces()).toContain(nb201Space);
  });

  it('enumerates 15,625 distinct cells, as size says', () => {
    const ids = new Set<string>();
    for (const arch of nb201Space.enumerate()) ids.add(nb201Space.id(arch));
    expect(ids.size).toBe(nb201Space.size);
    expect(nb201Space.size).toBe(15625);
  });

  it('uses the canonical string as the id and round-trips sampled cells', () => {
    const rng = createRng(11);
    for (let i = 0; i < 100; i++) {
      const arch = nb201Space.sample(rng);
      const text = nb201Space.format(arch);
      expect(nb201Space.id(arch)).toBe(text);
      expect(nb201Space.validate(text)).toEqual(arch);
      expect(nb201Space.parse(text)).toEqual(arch);
    }
  });

  it('costs the default macro when none is given', () => {
    const arch = nb201Space.parse('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    expect(nb201Space.defaultMacro).toEqual({ C: 16, N: 5, numClasses: 10, inputChannels: 3, inputSize: 32 });
    expect(nb201Space.cost(arch)).toEqual(nb201Space.cost(arch, nb201Space.defaultMacro));
  });
});
