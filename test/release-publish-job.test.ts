import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/store/api-key';
import { publishRelease } from '../src/store/release';
import { graphqlRequest } from './support/graphql-request';
import { importReleaseFixtures } from './support/release-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

const PUBLISH = `mutation($name: String!, $version: String!, $filter: ReleaseFilterInput) {
  publishRelease(name: $name, version: $version, filter: $filter) { id status progress }
}`;
const PUBLICATION = `query($id: ID!) {
  releasePublication(id: $id) { status progress errorCode error finishedAt release { url contentSha256 files { name sha256 url } } }
}`;

describe(`publishRelease as a queued job (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let server: TestServer;
  let publisher: string;
  let trainer: string;
  const publish = (variables: Record<string, unknown>, key = publisher) =>
    graphqlRequest<any>(server.url, PUBLISH, variables, { authorization: `Bearer ${key}` });
  /** Polls the publication until it is PUBLISHED or FAILED, keeping every progress value seen. */
  const settle = async (id: string) => {
    const seen: number[] = [];
    for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
      const answer = await graphqlRequest<any>(server.url, PUBLICATION, { id });
      expect(answer.errors).toBeUndefined();
      const publication = answer.data.releasePublication;
      seen.push(publication.progress);
      if (publication.status === 'PUBLISHED' || publication.status === 'FAILED') return { publication, seen };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`publication ${id} did not finish`);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-publish-job-'));
    server = await startTestServer({ releasesDir: join(dir, 'releases') });
    await importReleaseFixtures(server.store.dataSource, dir);
    const manager = server.store.dataSource.manager;
    publisher = (await createApiKey(manager, { name: 'publisher', role: 'publisher' })).key;
    trainer = (await createApiKey(manager, { name: 'trainer', role: 'trainer' })).key;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes into the release folder, where the server serves it; the files are those nashub publish writes', async () => {
    const queued = await publish({ name: 'nb201-only', version: '1.0.0', filter: { space: 'nb201' } });
    expect(queued.errors).toBeUndefined();
    expect(queued.data.publishRelease).toMatchObject({ status: 'QUEUED', progress: 0 });
    const { publication, seen } = await settle(queued.data.publishRelease.id);
    expect(publication).toMatchObject({ status: 'PUBLISHED', progress: 1, errorCode: null });
    expect(publication.finishedAt).not.toBeNull();
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(publication.release.url).toBe('/releases/nb201-only/1.0.0/');

    const direct = await publishRelease({
      dataSource: server.store.dataSource,
      name: 'direct',
      version: '1',
      outDir: join(dir, 'direct'),
      nashubVersion: '0.0.0-test',
      filter: { space: 'nb201' },
    });
    expect(publication.release.contentSha256).toBe(direct.manifest.contentSha256);
    for (const file of publication.release.files) {
      const served = Buffer.from(await (await fetch(`${server.baseUrl}${file.url}`)).arrayBuffer());
      expect(served.equals(readFileSync(join(dir, 'direct', file.name))), file.name).toBe(true);
    }
  });

  it('fails a publication that cannot succeed with its code, and refuses bad requests before queueing', async () => {
    const again = await publish({ name: 'nb201-only', version: '1.0.0' });
    expect((await settle(again.data.publishRelease.id)).publication).toMatchObject({
      status: 'FAILED',
      errorCode: 'CONFLICT',
    });
    const unknown = await publish({ name: 'x', version: '1', filter: { dataset: 'no-such-dataset' } });
    expect((await settle(unknown.data.publishRelease.id)).publication).toMatchObject({
      status: 'FAILED',
      errorCode: 'UNKNOWN_DATASET',
    });
    const before = await server.store.dataSource.query('SELECT count(*)::int AS n FROM release_publication');
    for (const [variables, code] of [
      [{ name: '../x', version: '1' }, 'INVALID_ARGUMENT'],
      [{ name: 'x', version: '1', filter: { space: 'nb999' } }, 'UNKNOWN_SPACE'],
    ] as const) {
      const refused = await publish(variables);
      expect(refused.errors?.[0].extensions?.code).toBe(code);
    }
    expect(
      (await graphqlRequest<any>(server.url, PUBLISH, { name: 'y', version: '1' })).errors?.[0].extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expect((await publish({ name: 'y', version: '1' }, trainer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await server.store.dataSource.query('SELECT count(*)::int AS n FROM release_publication')).toEqual(before);
  });
});
