import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, ErrorCode, getSpace, type NashubError } from '../../core';
import { selectBackend } from '../backend/select-backend';
import { kendallTau } from '../metric/kendall-tau';
import { createPredictor } from './create-predictor';
import type { Predictor } from './predictor';

const nb201 = getSpace('nb201');
const OP_VALUE: Record<string, number> = { none: 0, skip_connect: 1, nor_conv_1x1: 2, nor_conv_3x3: 3, avg_pool_3x3: 0.5 };

/** A synthetic target: a weighted op count, with convolutions on the last edges worth more. */
function syntheticTarget(arch: unknown): number {
  return (arch as string[]).reduce((s, op, edge) => s + OP_VALUE[op]! * (1 + edge / 6), 0);
}

function sampleArchs(count: number, seed: number): unknown[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => nb201.sample(rng));
}

const train = sampleArchs(120, 1);
const held = sampleArchs(300, 2);
const batch = { space: 'nb201', archs: train };
const targets = train.map(syntheticTarget);

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as NashubError).code;
  }
  return undefined;
}

async function roundTrip(predictor: Predictor, twin: Predictor): Promise<void> {
  let saved: tf.io.ModelArtifacts | undefined;
  await predictor.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  await twin.load(tf.io.fromMemory(saved!));
  const archs = { space: 'nb201', archs: held };
  expect(Array.from(twin.predict(archs).mean)).toEqual(Array.from(predictor.predict(archs).mean));
}

describe('surrogate predictors', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  it('MLP ranks a synthetic target it was fitted on, reproducibly for a seed, and survives save/load', async () => {
    const a = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot', steps: 200 });
    const b = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot', steps: 200 });
    await a.fit(batch, targets, { seed: 3 });
    await b.fit(batch, targets, { seed: 3 });
    const predicted = a.predict({ space: 'nb201', archs: held });
    expect(kendallTau(Array.from(predicted.mean), held.map(syntheticTarget))).toBeGreaterThan(0.8);
    expect(Array.from(b.predict({ space: 'nb201', archs: held }).mean)).toEqual(Array.from(predicted.mean));
    const twin = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot' });
    await roundTrip(a, twin);
    [a, b, twin].forEach((p) => p.dispose());
  });

  it('GNN and LINEAR fit the synthetic target and survive save/load', async () => {
    for (const kind of ['GNN', 'LINEAR']) {
      const p = createPredictor({ kind, space: nb201, steps: 100 });
      await p.fit(batch, targets, { seed: 0 });
      expect(kendallTau(Array.from(p.predict({ space: 'nb201', archs: held }).mean), held.map(syntheticTarget))).toBeGreaterThan(0.6);
      const twin = createPredictor({ kind, space: nb201 });
      await roundTrip(p, twin);
      p.dispose();
      twin.dispose();
    }
  });

  it('ENSEMBLE gives a finite, positive std and survives save/load', async () => {
    const e = createPredictor({ kind: 'ENSEMBLE', space: nb201, members: 3, steps: 100 });
    await e.fit(batch, targets, { seed: 0 });
    const { std } = e.predict({ space: 'nb201', archs: held });
    expect(std.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
    expect(std.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    const twin = createPredictor({ kind: 'ENSEMBLE', space: nb201, members: 3 });
    await roundTrip(e, twin);
    e.dispose();
    twin.dispose();
  });

  it('skips non-finite targets and refuses fewer than 10 records', async () => {
    const p = createPredictor({ kind: 'LINEAR', space: nb201 });
    const withNaN = targets.map((y, i) => (i < 5 ? Number.NaN : y));
    expect(await p.fit(batch, withNaN, { seed: 0 })).toEqual({ used: train.length - 5, skipped: 5 });
    const few = { space: 'nb201', archs: train.slice(0, 12) };
    expect(await codeOf(p.fit(few, targets.slice(0, 12).map((y, i) => (i < 3 ? Number.NaN : y)), { seed: 0 }))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await codeOf(createPredictor({ kind: 'MLP', space: nb201 }).fit({ space: 'nb201', archs: train.slice(0, 9) }, targets.slice(0, 9), { seed: 0 }))).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
  });

  it('refuses architectures of another space and unknown kinds', async () => {
    const p = createPredictor({ kind: 'LINEAR', space: nb201 });
    await p.fit(batch, targets, { seed: 0 });
    const darts = getSpace('darts');
    expect(await codeOf(() => p.predict({ space: 'darts', archs: [darts.sample(createRng(0))] }))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await codeOf(() => createPredictor({ kind: 'FOREST', space: nb201 }))).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});
