import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, resolveMapping } from '../src/store/import';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

/** Every field the kept seed means answer. */
const MEAN_FIELDS = 'dataset protocol epoch trainAcc validAcc testAcc trainLoss validLoss testLoss trainTimeSeconds';

const query = (selection: string, extra = '') =>
  `${extra} query($a: [String!]!, $d: String!) { architectures(space: "nb201", archs: $a) { arch record(dataset: $d) { ${selection} } } }`;

type Item = { arch: string; record: Record<string, unknown> | null };

describe(`record from the kept seed means (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let dir: string;
  const counter = new StatementCounter();
  // A-F and H stored; G never stored.
  const [A, B, C, D, E, F, G, H] = nb201Archs(8);

  beforeAll(async () => {
    t = await startTestServer({ logger: counter });
    dir = mkdtempSync(join(tmpdir(), 'nashub-record-means-'));
    // Seeds out of order with sums whose order shows in the last bit (A), a metric some seeds lack (A, D), a seed
    // that measured only one metric (B), a published mean alone (C) and beside seeds that lack one of its metrics
    // (D), a seeded run with no metric at all (E), IMPORTED and TRAINED seeds (F: source MIXED), and a cell stored with
    // runs on another dataset only (H).
    const file = join(dir, 'runs.csv');
    writeFileSync(
      file,
      [
        'arch,dataset,seed,n,source,train_acc,valid_acc,test_acc,train_loss,valid_loss,test_loss,secs',
        `${A},cifar10,3,,IMPORTED,99.9,,60.3,0.013,,,1001.125`,
        `${A},cifar10,1,,IMPORTED,99.1,70.1,60.1,0.011,1.1,1.3,1000.5`,
        `${A},cifar10,2,,IMPORTED,99.7,70.2,60.7,0.017,1.2,,999.25`,
        `${B},cifar10,1,,IMPORTED,,,55.5,,,,`,
        `${C},cifar10,,3,IMPORTED,,71.35,61.45,,,,2000`,
        `${D},cifar10,,3,IMPORTED,,72.1,62.2,,,,1500`,
        `${D},cifar10,1,,IMPORTED,,72.3,,,,,1400.5`,
        `${D},cifar10,2,,IMPORTED,,72.6,,,,,`,
        `${E},cifar10,1,,IMPORTED,,,,,,,900`,
        `${F},cifar10,1,,IMPORTED,,80.3,70.1,,,,`,
        `${F},cifar10,2,,TRAINED,,80.9,70.7,,,,1234`,
        `${H},cifar100,1,,IMPORTED,,50.5,,,,,`,
      ].join('\n'),
    );
    const metrics = Object.fromEntries(
      ['trainAcc', 'validAcc', 'testAcc', 'trainLoss', 'validLoss', 'testLoss'].map((m) => [
        m,
        m.replace(/[A-Z]/, (c) => `_${c.toLowerCase()}`),
      ]),
    );
    await importFile({
      dataSource: t.store.dataSource,
      space: 'nb201',
      file,
      replace: false,
      mapping: resolveMapping({
        arch: 'arch',
        dataset: 'dataset',
        protocol: { value: 'hp=200' },
        seed: 'seed',
        seedMean: 'whenSeedEmpty',
        seedCount: 'n',
        source: 'source',
        accuracyScale: 'percent',
        metrics,
        trainSeconds: 'secs',
        protocols: { 'hp=200': { epochs: 200 } },
      }),
    });
    const [{ sources }] = await t.store.dataSource.query(
      `SELECT array_agg(DISTINCT source ORDER BY source) AS sources FROM run_seed_mean`,
    );
    expect(sources).toEqual(['IMPORTED', 'MIXED']);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The request's items and the statements it sent (after a first request has filled the catalog cache). */
  const ask = async (text: string, archs: string[], dataset = 'cifar10') => {
    await graphqlRequest(t.url, text, { a: archs.slice(0, 1), d: dataset });
    let items: Item[] = [];
    const statements = await counter.during(async () => {
      const res = await graphqlRequest<{ architectures: Item[] }>(t.url, text, { a: archs, d: dataset });
      expect(res.errors).toBeUndefined();
      items = res.data!.architectures;
    });
    return { items, statements };
  };
  const readsMeans = (statements: string[]) => statements.some((s) => s.includes('run_seed_mean'));

  it('gives the same JSON as the runs, byte for byte, for every shape of record', async () => {
    const archs = [A, B, C, D, E, F, G, H, A];
    // `seeds` needs the runs: the same values computed from them in JavaScript.
    const viaRuns = await ask(query(`${MEAN_FIELDS} seeds`), archs);
    const viaMeans = await ask(query(MEAN_FIELDS), archs);
    expect(readsMeans(viaRuns.statements)).toBe(false);
    expect(readsMeans(viaMeans.statements)).toBe(true);
    for (const item of viaRuns.items) delete item.record?.seeds;
    expect(JSON.stringify(viaMeans.items)).toBe(JSON.stringify(viaRuns.items));
    // One architecture per request: its record through the loader, not read ahead for a list.
    const single = `query($a: String!, $d: String!) { architecture(space: "nb201", arch: $a) { arch record(dataset: $d) { ${MEAN_FIELDS} } } }`;
    const viaLoader: Item[] = [];
    for (const a of archs) {
      const res = await graphqlRequest<{ architecture: Item }>(t.url, single, { a, d: 'cifar10' });
      expect(res.errors).toBeUndefined();
      viaLoader.push(res.data!.architecture);
    }
    expect(JSON.stringify(viaLoader)).toBe(JSON.stringify(viaRuns.items));
    // Measured: A, B, C, D, F (and A again); E measured no metric, G is not stored, H has no runs on cifar10.
    expect(viaMeans.items.map((i) => i.record !== null)).toEqual([
      true,
      true,
      true,
      true,
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(viaMeans.items[3].record).toMatchObject({ validAcc: (72.3 + 72.6) / 2, testAcc: 62.2 });
  });

  it('reads the records of 1,000 architectures in one statement, with fragments and aliases', async () => {
    const archs = [A, B, C, D, E, F, H, ...nb201Archs(1_000).slice(8)];
    const text = query(
      '...Means v: validAcc',
      'fragment Means on Record { testAcc ... on Record { trainTimeSeconds } }',
    );
    const many = await ask(text, archs);
    expect(many.statements).toHaveLength(1);
    expect(readsMeans(many.statements)).toBe(true);
    expect(many.items.filter((i) => i.record !== null)).toHaveLength(5);
    const few = await ask(text, archs.slice(0, 7));
    expect(few.statements).toHaveLength(1);
    expect(few.items).toEqual(many.items.slice(0, 7));
  });

  it.each([
    ['a std', 'validAcc validAccStd'],
    ['the seed count', 'validAcc n'],
    ['isPublishedMean', 'validAcc isPublishedMean'],
    ['the seeds, through a fragment', 'validAcc ... on Record { seeds }'],
  ])('reads the runs when the selection needs %s', async (_, selection) => {
    const { items, statements } = await ask(query(selection), [A, C, D]);
    expect(readsMeans(statements)).toBe(false);
    expect(items.every((i) => i.record !== null)).toBe(true);
  });

  it('answers fields read ahead and fields resolved per item alike in one list', async () => {
    const archs = [A, C, D, G];
    const text = `query($a: [String!]!, $d: String!, $yes: Boolean!) { architectures(space: "nb201", archs: $a) {
      arch
      m: record(dataset: $d) { validAcc trainTimeSeconds }
      s: record(dataset: $d) { validAcc validAccStd seeds }
      i: record(dataset: $d) @include(if: $yes) { validAcc }
      x: record(dataset: $d) { validAcc }
      x: record(dataset: $d) { validAccStd }
      c: record(dataset: "cifar100") { validAcc }
      u: record(dataset: "no-such-dataset") { validAcc }
    } }`;
    const res = await graphqlRequest<{ architectures: Array<Record<string, Record<string, unknown> | null>> }>(
      t.url,
      text,
      { a: archs, d: 'cifar10', yes: true },
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(new Array(4).fill('UNKNOWN_DATASET'));
    const items = res.data!.architectures;
    expect(items.map((i) => i.m?.validAcc)).toEqual(items.map((i) => i.s?.validAcc));
    expect(items.map((i) => i.i?.validAcc)).toEqual(items.map((i) => i.s?.validAcc));
    expect(items.map((i) => i.x)).toEqual(
      items.map((i) => i.s && { validAcc: i.s.validAcc, validAccStd: i.s.validAccStd }),
    );
    expect(items.map((i) => i.c)).toEqual([null, null, null, null]);
    expect(items.map((i) => i.u)).toEqual([null, null, null, null]);
  });

  it('reads the runs for another seed choice or an earlier epoch', async () => {
    const seeded = await ask(
      `query($a: [String!]!, $d: String!) { architectures(space: "nb201", archs: $a) { arch record(dataset: $d, seeds: { mode: SEED, seed: 1 }) { validAcc } } }`,
      [A, D],
    );
    expect(readsMeans(seeded.statements)).toBe(false);
    expect(seeded.items.map((i) => i.record?.validAcc)).toEqual([70.1, 72.3]);
    const earlier = await ask(
      `query($a: [String!]!, $d: String!) { architectures(space: "nb201", archs: $a) { arch record(dataset: $d, epoch: 100) { validAcc } } }`,
      [A],
    );
    expect(readsMeans(earlier.statements)).toBe(false);
  });
});
