import { describe, expect, it } from 'vitest';
import { createRng, nb201Space } from '../../core';
import { driveStrategy } from '../../../test/support/strategy-drive';
import { createStrategy, parseStrategyName, resolveStrategyOptions } from './strategy-registry';
import { STRATEGY_NAMES } from './strategy-name';

const contextOf = (seed: number) => ({
  space: nb201Space,
  rng: createRng(seed),
  fidelities: [
    { protocol: 'low', epochs: 12 },
    { protocol: 'high', epochs: 200 },
  ],
  defaultFidelity: 0,
});

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

  describe('resolveStrategyOptions', () => {
    /** Every ask of 40 evaluations (2 workers) on a synthetic objective: the strategy's whole behaviour on it. */
    const asks = async (name: string, options: Record<string, unknown>) =>
      (
        await driveStrategy(createStrategy(name, contextOf(7), options), {
          space: nb201Space,
          objective: (arch, fidelity) => nb201Space.format(arch).split('conv_3x3').length + fidelity,
          evaluations: 40,
          workers: 2,
        })
      ).map((call) => (call.kind === 'ask' ? call.answer.map((s) => [nb201Space.format(s.arch), s.fidelity]) : null));

    const CASES: Array<[string, Record<string, unknown>]> = [
      ...STRATEGY_NAMES.map((name): [string, Record<string, unknown>] => [name, {}]),
      ['REGULARIZED_EVOLUTION', { population: 5, sampleSize: '2' }],
      ['BANANAS', { encoding: 'path', zeroCost: 'PARAMS', warmup: 4 }],
      ['EVOLUTION_WITH_PREDICTOR', { zeroCost: 'NONE' }],
      ['HYPERBAND', { eta: 2 }],
    ];

    it.each(CASES)(
      '%s %j: fills in every default, reads back to itself, and asks exactly as the options given',
      async (name, options) => {
        const resolved = resolveStrategyOptions(name, options);
        expect(JSON.parse(JSON.stringify(resolved))).toEqual(resolved);
        expect(resolveStrategyOptions(name, resolved)).toEqual(resolved);
        expect(await asks(name, resolved)).toEqual(await asks(name, options));
      },
    );

    it('names the defaults a run would otherwise pick up later (EVOLUTION_WITH_PREDICTOR: zero-cost warm-up and prior)', () => {
      expect(resolveStrategyOptions('EVOLUTION_WITH_PREDICTOR')).toMatchObject({
        initial: 10,
        zeroCost: 'FLOPS',
        warmup: 10,
        prior: 'LINEAR',
      });
      expect(resolveStrategyOptions('EVOLUTION_WITH_PREDICTOR', { zeroCost: 'NONE' })).toMatchObject({
        zeroCost: 'NONE',
        warmup: 1,
        prior: 'NONE',
      });
      expect(resolveStrategyOptions('RANDOM')).toEqual({});
    });

    it('refuses what createStrategy refuses, with the same codes', () => {
      expect(() => resolveStrategyOptions('GRID')).toThrow(expect.objectContaining({ code: 'UNKNOWN_STRATEGY' }));
      expect(() => resolveStrategyOptions('RANDOM', { bogus: 1 })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
      expect(() => resolveStrategyOptions('BANANAS', { zeroCost: 'NONE', warmup: 3 })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    });
  });
});
