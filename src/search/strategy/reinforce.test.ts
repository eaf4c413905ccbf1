import { describe, expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type Nb201Arch, type SearchSpace } from '../../core';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { parseReinforceOptions, Reinforce } from './reinforce';
import { SoftmaxPolicy } from './softmax-policy';

const context = <A>(space: SearchSpace<A>, seed: number) => ({
  space,
  rng: createRng(seed),
  fidelities: [{ protocol: 'p', epochs: 1 }],
  defaultFidelity: 0,
});
// In percent, like NAS-Bench-201's rewards: 50 plus 8 per 3x3 convolution.
const reward = (arch: Nb201Arch) => 50 + 8 * arch.filter((op) => op === 'nor_conv_3x3').length;

describe('REINFORCE', () => {
  it('learns: the policy concentrates on the rewarded op and its argmax is the best cell', async () => {
    const strategy = new Reinforce(
      context(nb201Space, 1),
      parseReinforceOptions({ learningRate: 0.05, answer: 'POLICY_ARGMAX' }),
    );
    const calls = await driveStrategy(strategy, { space: nb201Space, objective: reward, evaluations: 400, workers: 1 });
    expect(strategy.recommend()).toEqual(new Array(6).fill('nor_conv_3x3'));
    const told = calls.flatMap((c) => (c.kind === 'tell' ? c.observations.map((o) => o.value) : []));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Random cells average 50 + 8 · 6/5 = 59.6; the last 100 draws are far better.
    expect(mean(told.slice(0, 50))).toBeLessThan(64);
    expect(mean(told.slice(-100))).toBeGreaterThan(80);
  });

  it('does not move on the first result (the EMA baseline equals it) and moves toward a rewarded choice', () => {
    const policy = new SoftmaxPolicy({ sizes: [3, 2], rng: createRng(3), learningRate: 0.1 });
    const before = policy.probabilities();
    policy.reinforce([2, 0], 0);
    expect(policy.probabilities()).toEqual(before);
    policy.reinforce([2, 0], 5);
    const after = policy.probabilities();
    expect(after[0][2]).toBeGreaterThan(before[0][2]);
    expect(after[1][0]).toBeGreaterThan(before[1][0]);
    policy.reinforce([1, 1], -5);
    expect(policy.probabilities()[0][1]).toBeLessThan(after[0][1]);
  });

  it('returns the best observation by default', async () => {
    const strategy = new Reinforce(context(nb201Space, 2), parseReinforceOptions({}));
    const calls = await driveStrategy(strategy, { space: nb201Space, objective: reward, evaluations: 50, workers: 2 });
    const told = calls.flatMap((c) => (c.kind === 'tell' ? c.observations : []));
    expect(reward(strategy.recommend()!)).toBe(Math.max(...told.map((o) => o.value)));
  });

  it('replays with 3 workers telling out of order, and samples valid cells of nb101 and darts', async () => {
    for (const space of [nb201Space, nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
      const make = (seed: number) => new Reinforce(context(space, seed), parseReinforceOptions({ learningRate: 0.1 }));
      const objective = (arch: unknown) => (space.id(arch).charCodeAt(1) % 10) * 5;
      const calls = await driveStrategy(make(4), { space, objective, evaluations: 40, workers: 3 });
      expect(await replayAsks(make(4), calls, space)).toEqual(askedIds(calls, space));
      for (const call of calls)
        if (call.kind === 'ask')
          for (const { arch } of call.answer) expect(space.format(space.validate(arch))).toBe(space.format(arch));
    }
  });

  it('refuses bad options', () => {
    expect(() => parseReinforceOptions({ learningRate: -1 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        details: expect.objectContaining({ option: 'learningRate' }),
      }),
    );
    expect(() => parseReinforceOptions({ answer: 'LAST' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
