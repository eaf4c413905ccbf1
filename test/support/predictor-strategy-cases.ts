import { expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type Nb201Arch, type SearchSpace } from '../../src/core';
import type { Strategy, StrategyContext } from '../../src/search/strategy/strategy';
import { askedIds, driveStrategy, type StrategyCall } from './strategy-drive';

const WEIGHT: Record<string, number> = {
  none: 0,
  avg_pool_3x3: 0.5,
  skip_connect: 1,
  nor_conv_1x1: 2,
  nor_conv_3x3: 3,
};

/** Additive nb201 score with one interaction, so the optimum (18.5) is unique: all nor_conv_3x3. */
export const nb201Score = (arch: Nb201Arch) =>
  arch.reduce((sum, op) => sum + WEIGHT[op]!, 0) + (arch[0] === arch[5] ? 0.5 : 0);

/** A one-fidelity strategy context of a space, seeded. */
export function strategyContext<A>(space: SearchSpace<A>, seed: number): StrategyContext<A> {
  return { space, rng: createRng(seed), fidelities: [{ protocol: 'p', epochs: 1 }], defaultFidelity: 0 };
}

/** Every architecture the strategy was asked for, in order. */
export const askedArchs = <A>(calls: readonly StrategyCall<A>[]) =>
  calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.arch) : []));

/** How the shared cases build the strategy under test. */
export interface PredictorStrategyUnderTest {
  /** The strategy on nb201 with a seed and raw options. */
  onNb201(seed: number, raw?: Record<string, unknown>): Strategy<Nb201Arch>;
  /** The strategy on another space with a seed (and the options the test picks to keep it small). */
  onSpace(space: SearchSpace<unknown>, seed: number): Strategy<unknown>;
  /** Parses raw options (throws INVALID_ARGUMENT). */
  parse(raw: Record<string, unknown>): unknown;
  /** Evaluations within which it must reach nb201Score's optimum from seed 1. */
  optimumWithin: number;
  /** Options each refused, the offending one first. */
  badOptions: Array<Record<string, unknown>>;
}

/** The cases every predictor-guided strategy must pass: guidance, told data only, other spaces, option errors (inside a describe). */
export function predictorStrategyCases(strategy: PredictorStrategyUnderTest): void {
  it('guides by its predictor: reaches the optimum of a smooth objective that its first 10 asks miss', async () => {
    const calls = await driveStrategy(strategy.onNb201(1), {
      space: nb201Space,
      objective: nb201Score,
      evaluations: strategy.optimumWithin,
      workers: 1,
    });
    const archs = askedArchs(calls);
    expect(Math.max(...archs.map(nb201Score))).toBe(18.5);
    expect(Math.max(...archs.slice(0, 10).map(nb201Score))).toBeLessThan(18.5);
  });

  it('uses only told data: values of architectures it never asked cannot change what it asks (zero-cost options too)', async () => {
    for (const raw of [{}, { zeroCost: 'FLOPS', warmup: 10, prior: 'LINEAR' }]) {
      const first = await driveStrategy(strategy.onNb201(5, raw), {
        space: nb201Space,
        objective: nb201Score,
        evaluations: 50,
        workers: 2,
      });
      const seen = new Set(askedArchs(first).map((a) => nb201Space.id(a)));
      // Every architecture the run did not pay for now has a wildly different value.
      const changed = (arch: Nb201Arch) => (seen.has(nb201Space.id(arch)) ? nb201Score(arch) : 1000 - nb201Score(arch));
      const second = await driveStrategy(strategy.onNb201(5, raw), {
        space: nb201Space,
        objective: changed,
        evaluations: 50,
        workers: 2,
      });
      expect(askedIds(second, nb201Space), JSON.stringify(raw)).toEqual(askedIds(first, nb201Space));
    }
  });

  it('runs on nb101 and darts, asking valid distinct architectures', async () => {
    for (const space of [nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
      const built = strategy.onSpace(space, 7);
      const calls = await driveStrategy(built, {
        space,
        objective: (a) => space.id(a).charCodeAt(3),
        evaluations: 25,
        workers: 2,
      });
      const ids = askedArchs(calls).map((a) => space.id(space.validate(a)));
      expect(new Set(ids).size, space.name).toBe(25);
      expect(built.recommend(), space.name).not.toBeNull();
    }
  });

  it('refuses bad options with INVALID_ARGUMENT naming the option', () => {
    for (const raw of strategy.badOptions) {
      expect(() => strategy.parse(raw)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          details: expect.objectContaining({ option: Object.keys(raw)[0] }),
        }),
      );
    }
  });
}
