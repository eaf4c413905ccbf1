import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nb201Space } from '../src/core';
import { onPostgres } from './support/test-database';
import { FASHION_MNIST_DIR as DATASETS, startTrainingFixture, type TrainingFixture } from './support/training-fixture';
import { datasetsPresent } from './support/datasets-present';
import { tinyHyperparameters } from './support/tiny-protocol';

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';
const HOPELESS = '|avg_pool_3x3~0|+|none~0|avg_pool_3x3~1|+|none~0|none~1|avg_pool_3x3~2|';
const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';

/** Trains in seconds on wasm: C=4, N=1, 200 training images, 100 for validation and test, 2 epochs. */
const TINY = {
  name: 'fmnist-tiny-e2',
  epochs: 2,
  description: 'a test protocol',
  hyperparameters: tinyHyperparameters(),
};

/** TINY over 5 epochs, stopping a run once P(final > best so far) < 0.5, from the second epoch on. */
const EARLY = {
  ...TINY,
  name: 'fmnist-tiny-e5-early',
  epochs: 5,
  hyperparameters: { ...TINY.hyperparameters, earlyStopping: { threshold: 0.5, minEpochFraction: 0.4 } },
};

/**
 * The search client's path end to end over HTTP: no record → estimate NOT_AVAILABLE; requestTraining queues a job; a
 * trainer trains the real network on real images; the job completes; the same query now answers MEASURED with the
 * trained curve, and asking again returns the run instead of a new job.
 */
describe.skipIf(!datasetsPresent(DATASETS))(
  `from requestTraining to a measured record (${onPostgres ? 'postgres' : 'pglite'})`,
  () => {
    let f: TrainingFixture;
    const gql: TrainingFixture['gql'] = (query, variables, auth) => f.gql(query, variables, auth);
    const ESTIMATE = `query($a: String!) { architecture(space: "nb201", arch: $a) {
      estimate(dataset: "fashion-mnist", protocol: "${TINY.name}", metric: VALID_ACC) { source value }
      curve(dataset: "fashion-mnist", protocol: "${TINY.name}", seed: 0) { validAcc trainAcc }
    } }`;
    const REQUEST = `mutation($a: String!) { requestTraining(space: "nb201", archs: [$a], dataset: "fashion-mnist", protocol: "${TINY.name}", seeds: [0]) {
      isNew seed job { id status totalEpochs } run { id } } }`;

    beforeAll(async () => {
      f = await startTrainingFixture([TINY, EARLY]);
    }, 120_000);

    afterAll(async () => {
      await f?.close();
    });

    it('trains a requested architecture and then serves its record as MEASURED', async () => {
      const before = await gql(ESTIMATE, { a: ARCH });
      expect(before.errors).toBeUndefined();
      expect(before.data!.architecture.estimate).toEqual({ source: 'NOT_AVAILABLE', value: null });

      const requested = await gql(REQUEST, { a: ARCH }, true);
      expect(requested.errors).toBeUndefined();
      const [entry] = requested.data!.requestTraining;
      expect(entry).toMatchObject({ isNew: true, seed: 0, job: { status: 'QUEUED', totalEpochs: 2 }, run: null });

      f.pool.start();
      const job = await f.waitForJob(entry.job.id, 'epochsDone error');
      expect(job).toMatchObject({ status: 'COMPLETED', epochsDone: 2 });

      const after = await gql(ESTIMATE, { a: ARCH });
      expect(after.errors).toBeUndefined();
      const { estimate, curve } = after.data!.architecture;
      expect(estimate.source).toBe('MEASURED');
      expect(curve.validAcc).toHaveLength(2);
      expect(estimate.value).toBeCloseTo(curve.validAcc[1], 6);
      expect(curve.trainAcc.every((v: number) => v > 0 && v <= 100)).toBe(true);

      const again = await gql(REQUEST, { a: ARCH }, true);
      expect(again.errors).toBeUndefined();
      expect(again.data!.requestTraining[0]).toMatchObject({
        isNew: false,
        job: null,
        run: { id: expect.any(String) },
      });
    }, 300_000);

    it('stops a run early when it cannot beat the best final of its target, keeping its partial curve out of the records', async () => {
      const manager = f.t.store.dataSource.manager;
      const request = (arch: string) =>
        gql(
          `mutation($a: String!) { requestTraining(space: "nb201", archs: [$a], dataset: "fashion-mnist", protocol: "${EARLY.name}", seeds: [0]) { job { id } } }`,
          { a: arch },
          true,
        );
      // A finished run of the target at 99.9% is the best so far: nothing trained on 200 images can beat it.
      const best = nb201Space.parse(BEST);
      const [{ id: bestArch }] = await manager.query(
        `INSERT INTO architecture (space, hash, arch, iso_class) VALUES ('nb201', $1, $2, $3) RETURNING id`,
        [nb201Space.id(best), nb201Space.format(best), nb201Space.isoClass(best)],
      );
      const [{ d, p }] = await manager.query(
        `SELECT (SELECT id FROM dataset WHERE name = 'fashion-mnist') AS d, (SELECT id FROM protocol WHERE name = $1) AS p`,
        [EARLY.name],
      );
      await manager.query(
        `INSERT INTO run (architecture_id, dataset_id, protocol_id, seed, source, status, valid_acc) VALUES ($1, $2, $3, 1, 'IMPORTED', 'COMPLETE', 99.9)`,
        [bestArch, d, p],
      );

      const requested = await request(HOPELESS);
      expect(requested.errors).toBeUndefined();
      const id = requested.data!.requestTraining[0].job.id;
      const job = await f.waitForJob<{ status: string; epochsDone: number; run: { status: string } | null }>(
        id,
        'epochsDone run { status }',
        ['STOPPED_EARLY', 'COMPLETED', 'FAILED'],
      );
      expect(job!.status).toBe('STOPPED_EARLY');
      expect(job!.epochsDone).toBeGreaterThanOrEqual(2);
      expect(job!.epochsDone).toBeLessThan(5);
      expect(job!.run!.status).toBe('STOPPED_EARLY');
      const record = await gql(
        `query($a: String!) { architecture(space: "nb201", arch: $a) {
        estimate(dataset: "fashion-mnist", protocol: "${EARLY.name}", metric: VALID_ACC) { source }
        curve(dataset: "fashion-mnist", protocol: "${EARLY.name}", seed: 0) { validAcc } } }`,
        { a: HOPELESS },
      );
      expect(record.data!.architecture.estimate.source).toBe('NOT_AVAILABLE');
      expect(record.data!.architecture.curve.validAcc).toHaveLength(job!.epochsDone);
    }, 300_000);
  },
);
