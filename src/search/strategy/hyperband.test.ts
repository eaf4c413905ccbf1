import { describe, expect, it } from 'vitest';
import { createRng, nb201Space, type Nb201Arch } from '../../core';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { Hyperband, parseHyperbandOptions } from './hyperband';

const ladder = (k: number) => Array.from({ length: k }, (_, i) => ({ protocol: `f${i}`, epochs: 12 * 4 ** i }));
const context = (seed: number, k = 2) => ({
  space: nb201Space,
  rng: createRng(seed),
  fidelities: ladder(k),
  defaultFidelity: 0,
});
const score = (arch: Nb201Arch, fidelity: number) =>
  arch.filter((op) => op === 'nor_conv_3x3').length + arch.filter((op) => op === 'nor_conv_1x1').length / 3 + fidelity;

describe('HYPERBAND', () => {
  it('runs NB201-shaped brackets over two fidelities: 3 at the low one, the best promoted, then 2 at the high one', async () => {
    const strategy = new Hyperband(context(1), parseHyperbandOptions({}));
    const calls = await driveStrategy(strategy, { space: nb201Space, objective: score, evaluations: 12, workers: 1 });
    const asked = calls.flatMap((c) => (c.kind === 'ask' ? c.answer : []));
    expect(asked.map((s) => s.fidelity)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
    const firstThree = asked.slice(0, 3).map((s) => s.arch);
    const best = firstThree.reduce((a, b) => (score(b, 0) > score(a, 0) ? b : a));
    expect(asked[3].arch).toEqual(best);
    // The answer is the best observation at the high fidelity.
    const high = asked.filter((s) => s.fidelity === 1).map((s) => s.arch);
    expect(score(strategy.recommend()!, 1)).toBe(Math.max(...high.map((a) => score(a, 1))));
  });

  it('halves by eta over three fidelities: 9, then 3, then 1', async () => {
    const calls = await driveStrategy(new Hyperband(context(2, 3), parseHyperbandOptions({ eta: 3 })), {
      space: nb201Space,
      objective: score,
      evaluations: 13,
      workers: 1,
    });
    const fidelities = calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.fidelity) : []));
    expect(fidelities).toEqual([...new Array(9).fill(0), 1, 1, 1, 2]);
  });

  it('keeps workers busy by opening the next bracket, and replays with 3 workers', async () => {
    const make = () => new Hyperband(context(3), parseHyperbandOptions({}));
    const calls = await driveStrategy(make(), { space: nb201Space, objective: score, evaluations: 60, workers: 3 });
    expect(calls.every((c) => c.kind === 'tell' || c.answer.length === c.n)).toBe(true);
    expect(await replayAsks(make(), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
  });

  it('needs two fidelities', () => {
    expect(() => new Hyperband({ ...context(4), fidelities: ladder(1) }, parseHyperbandOptions({}))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
