import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/store/queue';
import { finishTrainingJob, recordTrainingEpoch, startTrainingJob } from '../src/store/training';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';
import { fakeEpochMetrics, requestOneTraining } from './support/request-one-training';
import { collectSubscription, until } from './support/graphql-subscription';

type Json = Record<string, any>;

const PROGRESS = `subscription($id: ID!) { jobProgress(id: $id) { jobId kind status epochsDone totalEpochs error at epoch { epoch trainLoss trainAcc validAcc testAcc seconds } } }`;

/** The stream of one id's jobProgress. */
const subscribe = (client: Client, id: string) => collectSubscription<Json>(client, PROGRESS, { id }, 'jobProgress');

describe(`jobProgress over graphql-ws, fed by LISTEN/NOTIFY (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let queue: JobQueue;
  let client: Client;
  let jobId: string;

  beforeAll(async () => {
    t = await startTestServer();
    queue = await JobQueue.open(t.store);
    const manager = t.store.dataSource.manager;
    const [{ id: protocolId }] = await manager.query(
      `INSERT INTO protocol (name, epochs, hyperparameters) VALUES ('tiny-e2', 2, '{}') RETURNING id`,
    );
    const [{ id: datasetId }] = await manager.query(`SELECT id FROM dataset WHERE name = 'fashion-mnist'`);
    const entry = await requestOneTraining(t.store.dataSource, queue, {
      arch: nb201Archs(3)[2],
      datasetId,
      protocolId,
      epochs: 2,
    });
    jobId = entry.job!.id;
    client = createClient({
      url: t.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await queue?.stop();
    await t?.close();
  });

  it('sends a snapshot, then each event as it commits, and completes after FINISHED', async () => {
    const stream = subscribe(client, jobId);
    await until('the snapshot', () => stream.events.length === 1);
    expect(stream.events[0]).toMatchObject({
      jobId,
      kind: 'SNAPSHOT',
      status: 'QUEUED',
      epochsDone: 0,
      totalEpochs: 2,
      epoch: null,
    });

    const ds = t.store.dataSource;
    const worker = 'test-worker';
    await startTrainingJob(ds, queue, { jobId, worker, backend: 'fake', device: 'none' });
    for (const epoch of [1, 2]) {
      const metrics = fakeEpochMetrics(epoch);
      expect(
        await recordTrainingEpoch(ds, queue, {
          jobId,
          worker,
          metrics,
          checkpoint: new Uint8Array([epoch]),
          leaseSeconds: 60,
        }),
      ).toEqual({ kept: true });
    }
    expect(
      await finishTrainingJob(ds, queue, {
        jobId,
        worker,
        status: 'COMPLETED',
        hardware: 'fake/none',
        nashubVersion: '0.0.0-test',
      }),
    ).toBe(true);
    await stream.done;

    expect(stream.errors).toEqual([]);
    expect(stream.events.map((e) => [e.kind, e.status, e.epochsDone])).toEqual([
      ['SNAPSHOT', 'QUEUED', 0],
      ['STARTED', 'RUNNING', 0],
      ['EPOCH', 'RUNNING', 1],
      ['EPOCH', 'RUNNING', 2],
      ['FINISHED', 'COMPLETED', 2],
    ]);
    expect(stream.events[2].epoch).toEqual({
      epoch: 1,
      trainLoss: 2,
      trainAcc: 40,
      validAcc: 35,
      testAcc: 34,
      seconds: 1.5,
    });
    expect(stream.events[3].epoch).toMatchObject({ epoch: 2, validAcc: 70 });
    for (const event of stream.events) expect(Number.isNaN(Date.parse(event.at))).toBe(false);
    // The run says which nashub trained it, on what (a release's origin of trained runs names both).
    const [run]: Array<{ hardware: string; nashub_version: string }> = await ds.query(
      'SELECT r.hardware, r.nashub_version FROM run r JOIN training_job j ON j.run_id = r.id WHERE j.id = $1',
      [jobId],
    );
    expect(run).toEqual({ hardware: 'fake/none', nashub_version: '0.0.0-test' });
  });

  it('answers a finished job with its snapshot and completes', async () => {
    const stream = subscribe(client, jobId);
    await stream.done;
    expect(stream.errors).toEqual([]);
    expect(stream.events).toHaveLength(1);
    expect(stream.events[0]).toMatchObject({ kind: 'SNAPSHOT', status: 'COMPLETED', epochsDone: 2 });
  });

  it('refuses an unknown job with NOT_FOUND', async () => {
    const stream = subscribe(client, '00000000-0000-4000-8000-000000000000');
    await stream.done;
    expect(stream.events).toEqual([]);
    expect((stream.errors[0] as Json).extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses the subscription sent as a plain HTTP request with a typed error, not INTERNAL_SERVER_ERROR', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `subscription { jobProgress(id: "${jobId}") { kind } }` }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('INVALID_ARGUMENT');
    expect(response.status).toBe(200); // an execution error, as GraphQL over HTTP answers it
  });

  it('refuses a connection carrying a bad API key', async () => {
    const bad = createClient({
      url: t.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { Authorization: 'Bearer nh_nope' },
    });
    const stream = subscribe(bad, jobId);
    await stream.done;
    await bad.dispose();
    expect(stream.events).toEqual([]);
    expect((stream.errors[0] as { code?: number }).code).toBe(4403);
  });
});
