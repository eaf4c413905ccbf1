import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, nb201Space } from '../src/core';
import { createFitWorker, fitStoredPredictor } from '../src/predictors';
import { createApiKey } from '../src/store/api-key/create-api-key';
import { importFile, resolveMapping } from '../src/store/import';
import { findPredictor, insertPredictor } from '../src/store/predictor';
import { JobQueue } from '../src/store/queue';
import { graphqlRequest } from './support/graphql-request';
import { onPostgres } from './support/test-database';
import { startTestServer, type TestServer } from './support/start-test-server';

/**
 * A target an architecture determines (plus small noise): conv 3x3 edges help most, conv 1x1 less, `none` on the
 * edges into the output hurts. A ridge model on one-hot encodings can learn it, so held-out tau must be high.
 */
function syntheticAcc(arch: string, noise: number): number {
  const ops = arch.match(/[a-z_0-9]+(?=~)/g) ?? [];
  const conv3 = ops.filter((o) => o === 'nor_conv_3x3').length;
  const conv1 = ops.filter((o) => o === 'nor_conv_1x1').length;
  const none = ops.filter((o) => o === 'none').length;
  return 60 + 4 * conv3 + 2 * conv1 - 1.5 * none + noise;
}

/** `count` distinct random NB201 cells (seeded), canonical strings. */
function sampleArchs(count: number, seed: number): string[] {
  const rng = createRng(seed);
  const out = new Set<string>();
  while (out.size < count) out.add(nb201Space.format(nb201Space.sample(rng)));
  return [...out];
}

const MAPPING = resolveMapping({
  arch: 'arch',
  dataset: { value: 'cifar10-valid' },
  protocol: { value: 'hp=200' },
  seedMean: true,
  accuracyScale: 'percent',
  metrics: { validAcc: 'valid', testAcc: 'test' },
  protocols: { 'hp=200': { epochs: 200 } },
});

describe(`predictor store, fit jobs and prediction API (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let dir: string;
  let trainerKey: string;
  let publisherKey: string;
  const archs = sampleArchs(90, 7);
  const rng = createRng(11);

  /** Rows of arch, valid acc and an optional test acc (a row with only a test acc has no target to fit). */
  async function importRows(name: string, rows: Array<[string, string, string?]>): Promise<void> {
    const file = join(dir, name);
    writeFileSync(file, ['arch,valid,test', ...rows.map(([a, v, test]) => `${a},${v},${test ?? ''}`)].join('\n'));
    await importFile({ dataSource: t.store.dataSource, space: 'nb201', file, mapping: MAPPING, replace: false });
  }

  const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string) =>
    graphqlRequest<T>(t.url, query, variables, key ? { authorization: `Bearer ${key}` } : {});

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-predictors-'));
    t = await startTestServer();
    // 80 records with a valid acc, 3 with only a test acc (skipped and counted), the rest left unmeasured for predictions.
    await importRows('runs.csv', [
      ...archs.slice(0, 80).map((a): [string, string] => [a, syntheticAcc(a, (rng.next() - 0.5) * 0.5).toFixed(3)]),
      ...archs.slice(80, 83).map((a): [string, string, string] => [a, '', '50']),
    ]);
    trainerKey = (await createApiKey(t.store.dataSource.manager, { name: 'trainer', role: 'trainer' })).key;
    publisherKey = (await createApiKey(t.store.dataSource.manager, { name: 'publisher', role: 'publisher' })).key;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fits a LINEAR predictor in-process: held-out metrics, skipped NaN targets, weights, the whole space cached', async () => {
    const manager = t.store.dataSource.manager;
    const catalog = await manager.query(
      `SELECT (SELECT id FROM dataset WHERE name = 'cifar10-valid') AS d, (SELECT id FROM protocol WHERE name = 'hp=200') AS p`,
    );
    const row = await insertPredictor(manager, {
      space: 'nb201',
      datasetId: catalog[0].d,
      protocolId: catalog[0].p,
      metric: 'validAcc',
      epoch: null,
      kind: 'LINEAR',
      hyperparameters: {},
      seed: 3,
      nashubVersion: 'test',
    });
    const result = await fitStoredPredictor({ dataSource: t.store.dataSource, predictorId: row.id });
    expect(result.predictor.status).toBe('READY');
    expect(result.predictor.trainSize).toBe(64);
    expect(result.predictor.metrics?.heldOut).toBe(16);
    expect(result.predictor.skippedTargets).toBe(3);
    expect(result.predictor.metrics!.kendallTau).toBeGreaterThan(0.6);
    expect(result.cachedPredictions).toBe(15_625);
    expect(result.predictor.trainSetSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('refuses unauthenticated and wrong-role fits, and validates names', async () => {
    const mutation = `mutation($kind: PredictorKind!, $dataset: String!) { fitPredictor(space: "nb201", dataset: $dataset, metric: VALID_ACC, kind: $kind) { id status } }`;
    expect((await gql(mutation, { kind: 'ENSEMBLE', dataset: 'cifar10-valid' })).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await gql(mutation, { kind: 'ENSEMBLE', dataset: 'cifar10-valid' }, publisherKey)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await gql(mutation, { kind: 'ENSEMBLE', dataset: 'imagenet' }, trainerKey)).errors?.[0].extensions?.code,
    ).toBe('UNKNOWN_DATASET');
    expect(
      (await gql(mutation, { kind: 'NOPE', dataset: 'cifar10-valid' }, trainerKey)).errors?.[0].extensions?.code,
    ).toBe('BAD_USER_INPUT');
  });

  it('queues a fit over GraphQL; a worker fits it; estimate falls back to PREDICTED; prediction and top by source', async () => {
    const queued = await gql<{ fitPredictor: { id: string; status: string; kind: string } }>(
      `mutation { fitPredictor(space: "nb201", dataset: "cifar10-valid", metric: VALID_ACC, kind: ENSEMBLE, seed: 1) { id status kind } }`,
      undefined,
      trainerKey,
    );
    expect(queued.errors).toBeUndefined();
    expect(queued.data!.fitPredictor.status).toBe('TRAINING');
    const id = queued.data!.fitPredictor.id;
    // A tiny ensemble keeps the test fast; the row's hyper-parameters are what the worker builds.
    await t.store.dataSource.manager.query(
      `UPDATE predictor SET hyperparameters = '{"members": 2, "steps": 120}' WHERE id = $1`,
      [Number(id)],
    );

    const queue = await JobQueue.open(t.store, { supervise: true, maintenanceIntervalSeconds: 1 });
    const events: string[] = [];
    const worker = createFitWorker({
      dataSource: t.store.dataSource,
      queue,
      pollIntervalMs: 100,
      onEvent: (e) => events.push(e.event),
    });
    worker.start();
    try {
      let status = 'TRAINING';
      // The worker says 'ready' once the fit's transaction committed: the READY row may be read a moment before.
      for (let i = 0; i < 600 && (status === 'TRAINING' || (status === 'READY' && !events.includes('ready'))); i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await findPredictor(t.store.dataSource.manager, Number(id)))!.status;
      }
      expect(status).toBe('READY');
      expect(events).toContain('ready');
      // The queue marks the job completed once the handler returned, after that.
      const jobId = (await findPredictor(t.store.dataSource.manager, Number(id)))!.jobId!;
      let state = await queue.state('fit-predictor', jobId);
      for (let i = 0; i < 100 && state !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await queue.state('fit-predictor', jobId);
      }
      expect(state).toBe('completed');
    } finally {
      await worker.stop();
      await queue.stop();
    }

    const listed = await gql<{
      predictors: Array<{
        id: string;
        kind: string;
        status: string;
        trainSize: number;
        metrics: { kendallTau: number; heldOut: number; stdErrorSpearman: number | null };
      }>;
    }>(
      `{ predictors(space: "nb201", dataset: "cifar10-valid") { id kind status trainSize metrics { kendallTau heldOut stdErrorSpearman } } }`,
    );
    expect(listed.data!.predictors.map((p) => p.kind).sort()).toEqual(['ENSEMBLE', 'LINEAR']);
    const ensemble = listed.data!.predictors.find((p) => p.kind === 'ENSEMBLE')!;
    expect(ensemble.status).toBe('READY');
    expect(ensemble.metrics.heldOut).toBe(16);
    expect(ensemble.metrics.stdErrorSpearman).not.toBeNull();

    const unmeasured = archs[85];
    const measured = archs[0];
    const q = await gql<{
      u: {
        estimate: { source: string; value: number; std: number };
        prediction: { mean: number; std: number; predictor: { id: string; kind: string } };
      };
      m: { estimate: { source: string } };
      e: { prediction: { predictor: { id: string } } };
    }>(
      `query($u: String!, $m: String!, $id: ID!) {
        u: architecture(space: "nb201", arch: $u) { estimate(dataset: "cifar10-valid", metric: VALID_ACC) { source value std }
                                                    prediction(dataset: "cifar10-valid", metric: VALID_ACC) { mean std predictor { id kind } } }
        m: architecture(space: "nb201", arch: $m) { estimate(dataset: "cifar10-valid", metric: VALID_ACC) { source } }
        e: architecture(space: "nb201", arch: $m) { prediction(dataset: "cifar10-valid", metric: VALID_ACC, predictor: $id) { predictor { id } } }
      }`,
      { u: unmeasured, m: measured, id },
    );
    expect(q.errors).toBeUndefined();
    expect(q.data!.u.estimate.source).toBe('PREDICTED');
    expect(q.data!.u.estimate.value).toBeCloseTo(q.data!.u.prediction.mean, 6);
    expect(q.data!.m.estimate.source).toBe('MEASURED');
    expect(q.data!.e.prediction.predictor.id).toBe(id);
    expect(Math.abs(q.data!.u.prediction.mean - syntheticAcc(unmeasured, 0))).toBeLessThan(15);

    const top = await gql<{
      p: Array<{ rank: number; estimate: { source: string; value: number } }>;
      a: Array<{ estimate: { source: string; value: number } }>;
    }>(
      `{ p: top(space: "nb201", dataset: "cifar10-valid", metric: VALID_ACC, k: 5, source: PREDICTED) { rank estimate { source value } }
         a: top(space: "nb201", dataset: "cifar10-valid", metric: VALID_ACC, k: 20, source: ANY) { estimate { source value } } }`,
    );
    expect(top.errors).toBeUndefined();
    expect(top.data!.p).toHaveLength(5);
    expect(top.data!.p.every((e) => e.estimate.source === 'PREDICTED')).toBe(true);
    const values = top.data!.a.map((e) => e.estimate.value);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    expect(new Set(top.data!.a.map((e) => e.estimate.source))).toEqual(new Set(['MEASURED', 'PREDICTED']));
  }, 300_000);

  it('new runs mark READY predictors STALE; they still serve and say so', async () => {
    await importRows(
      'more.csv',
      archs.slice(86, 88).map((a): [string, string] => [a, syntheticAcc(a, 0).toFixed(3)]),
    );
    const r = await gql<{
      predictors: Array<{ status: string; isStale: boolean }>;
      architecture: { prediction: { predictor: { status: string; isStale: boolean } } };
    }>(
      `query($a: String!) { predictors(space: "nb201") { status isStale }
         architecture(space: "nb201", arch: $a) { prediction(dataset: "cifar10-valid", metric: VALID_ACC) { predictor { status isStale } } } }`,
      { a: archs[89] },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.predictors.every((p) => p.status === 'STALE' && p.isStale)).toBe(true);
    expect(r.data!.architecture.prediction.predictor.isStale).toBe(true);
  });

  it('corrupt weights mark the predictor FAILED with a typed error; too few records fail the fit clearly', async () => {
    const manager = t.store.dataSource.manager;
    const [linear] = await manager.query(`SELECT id FROM predictor WHERE kind = 'LINEAR'`);
    await manager.query(`UPDATE predictor SET weights = '\\x4e48505731ffff'::bytea WHERE id = $1`, [linear.id]);
    // nb201 predictions come from the cache; an uncached (never-enumerated) request is needed to load weights, so
    // drop the cache of this version.
    await manager.query(`DELETE FROM prediction WHERE predictor_id = $1`, [linear.id]);
    const r = await gql(
      `query($a: String!, $id: ID!) { architecture(space: "nb201", arch: $a) { prediction(dataset: "cifar10-valid", metric: VALID_ACC, predictor: $id) { mean } } }`,
      { a: archs[1], id: String(linear.id) },
    );
    expect(r.errors?.[0].extensions?.code).toBe('FILE_INVALID');
    expect((await findPredictor(manager, linear.id))!.status).toBe('FAILED');

    const [{ d, p }] = await manager.query(
      `SELECT (SELECT id FROM dataset WHERE name = 'cifar100') AS d, (SELECT id FROM protocol WHERE name = 'hp=200') AS p`,
    );
    const datasetId = d ?? (await manager.query(`INSERT INTO dataset (name) VALUES ('cifar100') RETURNING id`))[0].id;
    const row = await insertPredictor(manager, {
      space: 'nb201',
      datasetId,
      protocolId: p,
      metric: 'validAcc',
      epoch: null,
      kind: 'LINEAR',
      hyperparameters: {},
      seed: 0,
      nashubVersion: 'test',
    });
    await expect(fitStoredPredictor({ dataSource: t.store.dataSource, predictorId: row.id })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const failed = await findPredictor(manager, row.id);
    expect(failed!.status).toBe('FAILED');
    expect(failed!.error).toMatch(/at least 10 records/);
  }, 60_000);
});
