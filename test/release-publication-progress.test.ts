import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublishWorker, requestReleasePublication } from '../src/releases';
import { JobQueue } from '../src/store/queue';
import { importReleaseFixtures } from './support/release-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';
import { collectSubscription, until } from './support/graphql-subscription';

type Json = Record<string, any>;

const PROGRESS = `subscription($id: ID!) {
  releasePublicationProgress(id: $id) { id status progress errorCode finishedAt release { url contentSha256 } }
}`;

/** The stream of one id's releasePublicationProgress. */
const subscribe = (client: Client, id: string) =>
  collectSubscription<Json>(client, PROGRESS, { id }, 'releasePublicationProgress');

describe(`releasePublicationProgress over graphql-ws, fed by LISTEN/NOTIFY (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let t: TestServer;
  let queue: JobQueue;
  let client: Client;
  let publicationId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-publication-progress-'));
    t = await startTestServer({ releasesDir: join(dir, 'releases') });
    await importReleaseFixtures(t.store.dataSource, dir);
    queue = await JobQueue.open(t.store);
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
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the publication as it stands, then each change as it commits, and completes after PUBLISHED', async () => {
    // Queued as publishRelease queues it; no worker runs yet, so the subscription surely starts before any progress.
    const queued = await requestReleasePublication(t.store.dataSource, queue, {
      name: 'pushed',
      version: '1.0.0',
      filters: { space: 'nb201', dataset: null, protocol: null },
    });
    publicationId = queued.id;
    const stream = subscribe(client, publicationId);
    await until('the first answer', () => stream.events.length === 1);
    expect(stream.events[0]).toMatchObject({ id: publicationId, status: 'QUEUED', progress: 0, release: null });

    // The publish worker the server runs, here on the test's own queue: its row writes reach the server's LISTEN.
    const worker = createPublishWorker({
      dataSource: t.store.dataSource,
      queue,
      releasesDir: join(dir, 'releases'),
      nashubVersion: '0.0.0-test',
      pollIntervalMs: 50,
      onError: (error) => {
        throw error;
      },
    });
    worker.start();
    try {
      await stream.done;
    } finally {
      await worker.stop();
    }
    expect(stream.errors).toEqual([]);
    const statuses = stream.events.map((e) => e.status);
    expect(statuses[0]).toBe('QUEUED');
    expect(statuses.at(-1)).toBe('PUBLISHED');
    expect(statuses.slice(1, -1).every((s) => s === 'RUNNING')).toBe(true);
    // Progress between the ends was pushed, not only the ends (records, then curves).
    expect(stream.events.some((e) => e.status === 'RUNNING' && e.progress > 0 && e.progress < 1)).toBe(true);
    const progress = stream.events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // No answer repeats the one before it.
    for (let i = 1; i < stream.events.length; i++)
      expect([stream.events[i].status, stream.events[i].progress]).not.toEqual([
        stream.events[i - 1].status,
        stream.events[i - 1].progress,
      ]);
    const last = stream.events.at(-1)!;
    expect(last).toMatchObject({ progress: 1, errorCode: null, release: { url: '/releases/pushed/1.0.0/' } });
    expect(last.finishedAt).not.toBeNull();
  });

  it('answers a finished publication once and completes', async () => {
    const stream = subscribe(client, publicationId);
    await stream.done;
    expect(stream.errors).toEqual([]);
    expect(stream.events).toHaveLength(1);
    expect(stream.events[0]).toMatchObject({ status: 'PUBLISHED', progress: 1 });
  });

  it('pushes a FAILED publication with its code, and completes', async () => {
    // The same name and version again: the worker fails it with CONFLICT.
    const again = await requestReleasePublication(t.store.dataSource, queue, {
      name: 'pushed',
      version: '1.0.0',
      filters: { space: null, dataset: null, protocol: null },
    });
    const stream = subscribe(client, again.id);
    await until('the first answer', () => stream.events.length === 1);
    const errors: Error[] = [];
    const worker = createPublishWorker({
      dataSource: t.store.dataSource,
      queue,
      releasesDir: join(dir, 'releases'),
      nashubVersion: '0.0.0-test',
      pollIntervalMs: 50,
      onError: (error) => errors.push(error),
    });
    worker.start();
    try {
      await stream.done;
    } finally {
      await worker.stop();
    }
    expect(stream.errors).toEqual([]);
    expect(stream.events.at(-1)).toMatchObject({ status: 'FAILED', errorCode: 'CONFLICT', release: null });
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['CONFLICT']);
  });

  it('refuses an unknown publication with NOT_FOUND', async () => {
    const stream = subscribe(client, '00000000-0000-4000-8000-000000000000');
    await stream.done;
    expect(stream.events).toEqual([]);
    expect((stream.errors[0] as Json).extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses the subscription sent as a plain HTTP request with a typed error', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `subscription { releasePublicationProgress(id: "${publicationId}") { status } }` }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('INVALID_ARGUMENT');
  });
});
