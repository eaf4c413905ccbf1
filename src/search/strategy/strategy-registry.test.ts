import { describe, expect, it } from 'vitest';
import { createRng, nb201Space } from '../../core';
import { createStrategy, parseStrategyName } from './strategy-registry';
import { STRATEGY_NAMES } from './strategy-name';

const context = {
  space: nb201Space,
  rng: createRng(0),
  fidelities: [
    { protocol: 'low', epochs: 12 },
    { protocol: 'high', epochs: 200 },
  ],
  defaultFidelity: 0,
};

describe('strategy registry', () => {
  it('builds every named strategy under its own name', () => {
    for (const name of STRATEGY_NAMES) expect(createStrategy(name, context).name).toBe(name);
  });

  it('refuses an unknown name with UNKNOWN_STRATEGY', () => {
    expect(() => parseStrategyName('GRID')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_STRATEGY', details: { strategy: 'GRID' } }),
    );
    expect(() => createStrategy('random', context)).toThrow(expect.objectContaining({ code: 'UNKNOWN_STRATEGY' }));
  });
});
