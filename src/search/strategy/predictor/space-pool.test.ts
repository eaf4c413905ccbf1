import { describe, expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type Nb201Arch } from '../../../core';
import { nb201Score } from '../../../../test/support/predictor-strategy-cases';
import { OptionReader } from '../option-reader';
import { Acquisition } from './acquisition';
import { InRunPredictor, readInRunPredictorOptions } from './in-run-predictor';
import { SpacePool } from './space-pool';

function predictor(raw: Record<string, unknown>) {
  const read = new OptionReader('TEST', raw);
  const options = readInRunPredictorOptions(read, { acquisition: Acquisition.MEAN, encoding: 'onehot' });
  read.done();
  return new InRunPredictor(nb201Space, options, 'TEST');
}

describe('SpacePool', () => {
  it('lists every NB201 cell once, by position, shared across calls; null for spaces too big to enumerate', () => {
    const pool = SpacePool.of(nb201Space)!;
    expect(pool.size).toBe(15_625);
    expect(new Set(pool.ids).size).toBe(15_625);
    expect(SpacePool.of(nb201Space)).toBe(pool);
    const id = pool.ids[1234]!;
    expect(pool.position(id)).toBe(1234);
    expect(nb201Space.id(pool.archs[1234]!)).toBe(id);
    expect(SpacePool.of(nb101Space)).toBeNull();
    expect(SpacePool.of(dartsSpace)).toBeNull();
  });
});

describe('InRunPredictor.bestInPool', () => {
  // 30 observed cells of a smooth objective; the pool minus those 30 (and 20 more asked but not told) is the candidate set.
  const rng = createRng(3);
  const observed: Nb201Arch[] = Array.from({ length: 30 }, () => nb201Space.sample(rng));
  const pending: Nb201Arch[] = Array.from({ length: 20 }, () => nb201Space.sample(rng));
  const asked = new Set([...observed, ...pending].map((a) => nb201Space.id(a)));
  const pool = SpacePool.of(nb201Space)!;
  const unasked = pool.archs.filter((_, i) => !asked.has(pool.ids[i]!));

  it('chooses what best() chooses over every unasked cell, for each acquisition, prior and k, with the same draws', () => {
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ acquisition: 'THOMPSON' }, 1],
      [{ acquisition: 'UCB', beta: 2 }, 5],
      [{ acquisition: 'MEAN' }, 3],
      [{ acquisition: 'UCB', beta: 1, zeroCost: 'FLOPS', prior: 'LINEAR' }, 1],
      [{ acquisition: 'THOMPSON', zeroCost: 'FLOPS', prior: 'LINEAR' }, 5],
    ];
    for (const [raw, k] of cases) {
      const [a, b] = [predictor(raw), predictor(raw)];
      for (const arch of observed) for (const p of [a, b]) p.observe(arch, nb201Score(arch));
      const [rngA, rngB] = [createRng(11), createRng(11)];
      const fast = a.bestInPool(pool, asked, k, rngA).map((x) => nb201Space.id(x));
      const plain = b.best(unasked, k, rngB).map((x) => nb201Space.id(x));
      expect(fast, JSON.stringify({ ...raw, k })).toEqual(plain);
      expect(fast).toHaveLength(k);
      expect(fast.some((id) => asked.has(id))).toBe(false);
      // Both consumed the same draws: the next one agrees.
      expect(rngA.next()).toBe(rngB.next());
    }
  });

  it('keeps up as observations arrive between calls (its distance rows follow the observations)', () => {
    const [a, b] = [predictor({ acquisition: 'UCB' }), predictor({ acquisition: 'UCB' })];
    for (const arch of observed.slice(0, 10)) for (const p of [a, b]) p.observe(arch, nb201Score(arch));
    a.bestInPool(pool, asked, 1, createRng(1));
    for (const arch of observed.slice(10)) for (const p of [a, b]) p.observe(arch, nb201Score(arch));
    expect(a.bestInPool(pool, asked, 3, createRng(2))).toEqual(b.best(unasked, 3, createRng(2)));
  });
});
