import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSpace } from '../src/core';
import { SharedRecordReads } from '../src/server/loader/shared-record-reads';
import { loadCatalog } from '../src/store/catalog/catalog';
import { loadRecords, type RecordRequest } from '../src/store/record/load-records';
import { importApiFixtures } from './support/api-fixtures';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

describe(`shared record reads (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const counter = new StatementCounter();
  let requestsOf: (archs: string[], choice?: RecordRequest['choice']) => RecordRequest[];
  beforeAll(async () => {
    t = await startTestServer({ logger: counter });
    await importApiFixtures(t.store.dataSource);
    const catalog = await loadCatalog(t.store.dataSource.manager);
    const dataset = catalog.datasetByName.get('cifar10-valid')!;
    const protocol = catalog.protocolByName.get('hp=200')!;
    const space = getSpace('nb201');
    requestsOf = (archs, choice = { mode: 'MEAN' }) =>
      archs.map((arch) => ({
        space: 'nb201',
        hash: space.id(space.parse(arch)),
        datasetId: dataset.id,
        protocolId: protocol.id,
        epoch: protocol.epochs,
        lastEpoch: protocol.epochs,
        choice,
      }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads the batches of concurrent requests in one statement, each its own records in order', async () => {
    const archs = nb201Archs(1_000);
    // Stored and measured cells, a cell asked twice under two seed choices, and cells not stored (the last ones).
    const callers = [
      requestsOf(archs.slice(0, 3)),
      requestsOf([archs[3]]),
      requestsOf([archs[0], archs[999]], { mode: 'SEED', seed: 1 }),
    ];
    const manager = t.store.dataSource.manager;
    const alone = [];
    for (const requests of callers) alone.push(await loadRecords(manager, requests));
    expect(alone[0].every((record) => record !== null)).toBe(true);
    expect(alone[2][1]).toBeNull();

    const reads = new SharedRecordReads((requests: readonly RecordRequest[]) => loadRecords(manager, requests));
    let shared: unknown[] = [];
    const statements = await counter.during(async () => {
      shared = await Promise.all(callers.map((requests) => reads.load(requests)));
    });
    expect(statements).toHaveLength(1);
    expect(shared).toEqual(alone);
  });
});
