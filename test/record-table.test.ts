import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

interface TablePage {
  protocol: string;
  archs: string[];
  ids: string[];
  columns: Array<{ metric: string; values: Array<number | null> }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const TABLE = `query($dataset: String!, $metrics: [Metric!]!, $archs: [String!], $seeds: SeedChoice, $first: Int, $after: String) {
  table(space: "nb201", dataset: $dataset, metrics: $metrics, archs: $archs, seeds: $seeds, first: $first, after: $after) {
    protocol archs ids columns { metric values } pageInfo { hasNextPage endCursor }
  } }`;

const RECORDS = `query($archs: [String!]!, $dataset: String!, $seeds: SeedChoice) {
  architectures(space: "nb201", archs: $archs) { arch id record(dataset: $dataset, seeds: $seeds) { validAcc testAcc } } }`;

describe(`table: the columnar read (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const counter = new StatementCounter();
  beforeAll(async () => {
    t = await startTestServer({ logger: counter, limits: { maxArchs: 300, maxTablePage: 200 } });
    await importApiFixtures(t.store.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const table = async (variables: Record<string, unknown>) => {
    const res = await graphqlRequest<{ table: TablePage }>(t.url, TABLE, variables);
    return { ...res, page: res.data?.table };
  };

  /** What `architectures { record }` answers, as the table's columns. */
  const viaRecords = async (archs: string[], dataset: string, seeds?: Record<string, unknown>) => {
    const res = await graphqlRequest<{
      architectures: Array<{ arch: string; id: string; record: { validAcc: number; testAcc: number } | null }>;
    }>(t.url, RECORDS, { archs, dataset, seeds });
    expect(res.errors).toBeUndefined();
    const items = res.data!.architectures;
    return {
      archs: items.map((a) => a.arch),
      ids: items.map((a) => a.id),
      columns: [
        { metric: 'VALID_ACC', values: items.map((a) => a.record?.validAcc ?? null) },
        { metric: 'TEST_ACC', values: items.map((a) => a.record?.testAcc ?? null) },
      ],
    };
  };

  it.each([
    ['MEAN over seeds', 'cifar10-valid', undefined],
    ['one seed', 'cifar10-valid', { mode: 'SEED', seed: 2 }],
    ['a seed picked from a client seed', 'cifar10-valid', { mode: 'RANDOM', clientSeed: 7 }],
    ['published seed means', 'cifar100', undefined],
  ])('answers what record answers, in input order: %s', async (_, dataset, seeds) => {
    // Stored and unstored cells, out of storage order, one twice.
    const all = nb201Archs(API_FIXTURE.cells + 10);
    const archs = [...all.slice(100).reverse(), all[3], ...all.slice(0, 20), all[3]];
    const { errors, page } = await table({ dataset, metrics: ['VALID_ACC', 'TEST_ACC'], archs, seeds });
    expect(errors).toBeUndefined();
    const expected = await viaRecords(archs, dataset, seeds);
    expect({ archs: page!.archs, ids: page!.ids, columns: page!.columns }).toEqual(expected);
    expect(page!.columns[0].values.filter((v) => v !== null)).toHaveLength(archs.length - 10);
    expect(page!.pageInfo.hasNextPage).toBe(false);
  });

  it('pages through the whole stored table, one SQL statement per page', async () => {
    await table({ dataset: 'cifar10-valid', metrics: ['VALID_ACC'], first: 1 }); // fills the catalog cache
    const pages: TablePage[] = [];
    let after: string | null = null;
    const statements = await counter.during(async () => {
      do {
        const { errors, page } = await table({ dataset: 'cifar10-valid', metrics: ['VALID_ACC'], first: 50, after });
        expect(errors).toBeUndefined();
        pages.push(page!);
        after = page!.pageInfo.hasNextPage ? page!.pageInfo.endCursor : null;
      } while (after !== null);
    });
    expect(pages.map((p) => p.archs.length)).toEqual([50, 50, 20]);
    expect(statements).toHaveLength(pages.length);
    const archs = pages.flatMap((p) => p.archs);
    expect(new Set(archs).size).toBe(API_FIXTURE.cells);
    const expected = await viaRecords(archs, 'cifar10-valid');
    expect(pages.flatMap((p) => p.columns[0].values)).toEqual(expected.columns[0].values);
    expect(pages[0].protocol).toBe('hp=200');
  });

  it('pages archs by position', async () => {
    const archs = nb201Archs(130);
    const first = await table({ dataset: 'cifar10-valid', metrics: ['TEST_ACC'], archs, first: 100 });
    expect(first.page!.archs).toHaveLength(100);
    expect(first.page!.pageInfo.hasNextPage).toBe(true);
    const second = await table({
      dataset: 'cifar10-valid',
      metrics: ['TEST_ACC'],
      archs,
      first: 100,
      after: first.page!.pageInfo.endCursor,
    });
    expect(second.page!.archs).toHaveLength(30);
    expect(second.page!.pageInfo.hasNextPage).toBe(false);
    expect(second.page!.columns[0].values.slice(20).every((v) => v === null)).toBe(true);
  });

  it('answers bad input with typed errors', async () => {
    const codeOf = async (variables: Record<string, unknown>) => {
      const res = await table({ dataset: 'cifar10-valid', metrics: ['VALID_ACC'], ...variables });
      expect(res.data?.table ?? null).toBeNull();
      return { code: res.errors?.[0]?.extensions?.code, limit: res.errors?.[0]?.extensions?.limit };
    };
    expect(await codeOf({ metrics: ['NO_SUCH_METRIC'] })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await codeOf({ metrics: [] })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await codeOf({ metrics: ['VALID_ACC', 'VALID_ACC'] })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await codeOf({ archs: nb201Archs(301) })).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'maxArchs' });
    expect(await codeOf({ first: 201 })).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'maxTablePage' });
    expect(await codeOf({ first: 0 })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await codeOf({ after: 'not-a-cursor' })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const byPosition = (
      await table({ dataset: 'cifar10-valid', metrics: ['VALID_ACC'], archs: nb201Archs(3), first: 1 })
    ).page!.pageInfo.endCursor;
    expect(await codeOf({ after: byPosition })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await codeOf({ archs: [nb201Archs(1)[0], '|bogus~0|'] })).toMatchObject({ code: 'INVALID_ARCHITECTURE' });
    expect(await codeOf({ dataset: 'no-such-dataset' })).toMatchObject({ code: 'UNKNOWN_DATASET' });
  });
});
