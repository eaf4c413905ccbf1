import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from './support/graphql-request';
import { spawnNashub, waitForOutput } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const ready = /nashub API on (http:\/\/\S+)/;

describe(`nashub serve (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('serves, lets an in-flight request finish on SIGTERM, exits 0, and the database reopens', async () => {
    const first = spawnNashub(['serve', '--port', '0'], database.env);
    const url = (await waitForOutput(first, ready, 300_000))[1];
    const spaces = await graphqlRequest<{ spaces: Array<{ id: string }> }>(url, '{ spaces { id } }');
    expect(spaces.data!.spaces.map((s) => s.id)).toContain('nb201');

    const body = JSON.stringify({ query: '{ spaces { id name } }' });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      // "100 Continue" comes as the server hands the request to its handler: from then on it is in flight.
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      };
      const req = request(url, { method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.flushHeaders();
      req.on('continue', () => {
        first.child.kill('SIGTERM');
        setTimeout(() => req.end(body), 300);
      });
    });
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(JSON.parse(finished.text).data.spaces.length).toBeGreaterThan(0);
    expect(await first.exited).toBe(0);

    const second = spawnNashub(['serve', '--port', '0'], database.env);
    const url2 = (await waitForOutput(second, ready, 300_000))[1];
    const again = await graphqlRequest<{ spaces: Array<{ id: string }> }>(url2, '{ spaces { id } }');
    expect(again.data!.spaces.map((s) => s.id)).toEqual(spaces.data!.spaces.map((s) => s.id));
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    // Two cold PGlite starts (the first creates and migrates the folder): slow on a shared machine; not a timing check.
  }, 300_000);

  it('refuses a port in use with one clear line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as AddressInfo).port;
    const proc = spawnNashub(['serve', '--port', String(port)], database.env);
    expect(await proc.exited).toBe(1);
    blocker.close();
    expect(proc.stderr().trim().split('\n')).toHaveLength(1);
    expect(proc.stderr()).toMatch(/^nashub: PORT_IN_USE: /);
  });
});

describe('nashub with a bad environment', () => {
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['a malformed DATABASE_URL', { DATABASE_URL: 'not a url' }, 2, 'CONFIG_INVALID'],
    ['a non-postgres DATABASE_URL', { DATABASE_URL: 'mysql://localhost/x' }, 2, 'CONFIG_INVALID'],
    [
      'an unreachable DATABASE_URL',
      { DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/nashub' },
      1,
      'DATABASE_UNAVAILABLE',
    ],
    ['a bad PORT', { PORT: 'eighty' }, 2, 'CONFIG_INVALID'],
  ];
  it.each(cases)('%s exits non-zero with one line and no stack', async (_name, env, code, errorCode) => {
    const proc = spawnNashub(['migrate'], { NASHUB_DATA: join(tmpdir(), 'unused'), ...env });
    expect(await proc.exited).toBe(code);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^nashub: ${errorCode}: `));
    expect(lines[0]).not.toContain('secret');
  });

  it('an unusable NASHUB_DATA folder exits non-zero with one line', async () => {
    const file = join(tmpdir(), `nashub-not-a-dir-${process.pid}`);
    writeFileSync(file, 'x');
    const proc = spawnNashub(['migrate'], { NASHUB_DATA: join(file, 'data'), DATABASE_URL: '' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr().trim().split('\n')).toHaveLength(1);
    expect(proc.stderr()).toMatch(/^nashub: DATA_DIR_UNWRITABLE: /);
  });
});
