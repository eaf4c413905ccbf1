import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { countRows } from './support/count-rows';
import { graphqlRequest } from './support/graphql-request';
import { runsMapping, writeRunsCsv } from './support/nb201-fixtures';
import { cliPath, spawnNashub, waitForOutput, type NashubProcess } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const ready = /nashub API on (http:\/\/\S+)/;
// Every step starts a process that opens PGlite (seconds each on a shared 2-core machine): generous, not a timing check.
const slow = 300_000;
const lockModule = join(cliPath, '..', '..', 'store', 'pglite', 'data-dir-lock.js');

/** Runs a CLI command to its end. */
async function runNashub(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnNashub(args, env);
  const code = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

function expectLockedBy(result: { code: number | null; stderr: string }, server: NashubProcess): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nashub: DATA_DIR_LOCKED: /);
  expect(lines[0]).toContain(`process ${server.child.pid} `);
  expect(lines[0]).toContain('DATABASE_URL');
}

describe.skipIf(onPostgres)('one process per PGlite folder (issue 16, defect 1)', () => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let importArgs: (name: string, seed: number) => string[];
  beforeAll(async () => {
    database = await createTestDatabase();
    env = database.env;
    dir = mkdtempSync(join(tmpdir(), 'nashub-lock-files-'));
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify(runsMapping));
    importArgs = (name, seed) => [
      'import',
      '--space',
      'nb201',
      '--file',
      writeRunsCsv(dir, name, 20, (fields) => (fields[3] = String(seed))),
      '--map',
      map,
    ];
    const first = await runNashub(importArgs('first.csv', 1), env);
    expect(first.code, first.stderr).toBe(0);
  }, slow);
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'refuses keys list while nashub serve holds the folder, imports and creates keys through it, and the folder then holds exactly the server data',
    async () => {
      const server = spawnNashub(['serve', '--port', '0'], env);
      const url = (await waitForOutput(server, ready, slow))[1];

      // import goes through the server: the server reads the file and imports it in its own process.
      const imported = await runNashub(importArgs('second.csv', 2), env);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toContain('through the server');
      expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'IMPORTED', rowsRead: 20 });
      // Read-only commands are refused the same way: PGlite writes its files even to read (checkpoints, WAL).
      expectLockedBy(await runNashub(['keys', 'list'], env), server);

      // keys create goes through the server, as its local admin (the token in the 0600 lock file, from loopback).
      const created = await runNashub(['keys', 'create', '--name', 'late', '--role', 'admin'], env);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toContain('through the server');
      const { key } = JSON.parse(created.stdout) as { key: string };
      const withKey = await graphqlRequest(url, '{ spaces { id } }', undefined, { authorization: `Bearer ${key}` });
      expect(withKey.errors).toBeUndefined();
      const conflict = await runNashub(['keys', 'create', '--name', 'late', '--role', 'admin'], env);
      expect(conflict.code).toBe(2);
      expect(conflict.stderr).toMatch(/^nashub: CONFLICT: /);
      // The token is this server start's and nothing else: a wrong one is an unknown key.
      const lock = JSON.parse(readFileSync(join(database.env.NASHUB_DATA, 'nashub.lock'), 'utf8')) as {
        server: { url: string; token: string };
      };
      expect(lock.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      // An API key, even an admin's, may not make the server read a path on its disk: only the local CLI may.
      const remoteImport = await graphqlRequest(
        url,
        'mutation($m: JSONObject!) { importFile(space: "nb201", file: "/etc/passwd", mapping: $m) }',
        { m: runsMapping },
        { authorization: `Bearer ${key}` },
      );
      expect(remoteImport.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const forged = await graphqlRequest(url, '{ spaces { id } }', undefined, {
        authorization: `Bearer ${lock.server.token}x`,
      });
      expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(existsSync(join(database.env.NASHUB_DATA, 'nashub.lock'))).toBe(false);

      const store = await openStore({ config: database.config });
      try {
        expect(await countRows(store.dataSource)).toMatchObject({ runs: 40, batches: 2 });
        expect(await store.dataSource.query('SELECT name FROM api_key')).toEqual([{ name: 'late' }]);
      } finally {
        await store.close();
      }
    },
    slow,
  );

  it(
    'takes over the lock of a server killed with SIGKILL',
    async () => {
      const server = spawnNashub(['serve', '--port', '0'], env);
      await waitForOutput(server, ready, slow);
      server.child.kill('SIGKILL');
      await server.exited;
      expect(existsSync(join(database.env.NASHUB_DATA, 'nashub.lock'))).toBe(true);

      const created = await runNashub(['keys', 'create', '--name', 'after-kill', '--role', 'admin'], env);
      expect(created.code, created.stderr).toBe(0);
      const store = await openStore({ config: database.config });
      try {
        expect(await countRows(store.dataSource)).toMatchObject({ runs: 40, batches: 2 });
        expect(await store.dataSource.query('SELECT name FROM api_key ORDER BY name')).toEqual([
          { name: 'after-kill' },
          { name: 'late' },
        ]);
      } finally {
        await store.close();
      }
    },
    slow,
  );

  it(
    'lets exactly one of several processes racing for a stale lock win',
    async () => {
      const raceDir = mkdtempSync(join(tmpdir(), 'nashub-lock-race-'));
      try {
        for (let round = 0; round < 2; round++) {
          const dead = spawn(process.execPath, ['-e', '']);
          await new Promise((resolve) => dead.on('exit', resolve));
          writeFileSync(
            join(raceDir, 'nashub.lock'),
            JSON.stringify({
              pid: dead.pid,
              startTime: null,
              host: hostname(),
              command: 'nashub serve',
              since: new Date(0).toISOString(),
            }),
          );
          const go = join(raceDir, `go-${round}`);
          // Each child waits for the go file, so all of them reach the stale lock together; a winner holds until stdin ends.
          const script = `const { acquireDataDirLock } = require(${JSON.stringify(lockModule)});
const fs = require('node:fs');
process.stdout.write('ready\\n');
const wait = () => (fs.existsSync(${JSON.stringify(go)}) ? race() : setImmediate(wait));
const race = () => acquireDataDirLock(${JSON.stringify(raceDir)}).then(
  (lock) => { process.stdout.write('won\\n'); process.stdin.on('end', () => lock.release()); process.stdin.resume(); },
  (error) => { process.stdout.write('lost ' + error.code + '\\n'); },
);
wait();`;
          const children = Array.from({ length: 4 }, () => {
            const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            const exited = new Promise((resolve) => child.on('exit', resolve));
            return { child, out: () => out, exited };
          });
          const lines = (pattern: RegExp) =>
            Promise.all(
              children.map(async (c) => {
                while (!pattern.test(c.out())) await new Promise((resolve) => setTimeout(resolve, 10));
              }),
            );
          await lines(/ready/);
          writeFileSync(go, '');
          await lines(/won|lost/);
          const outcomes = children.map((c) => c.out().split('\n')[1]).sort();
          expect(outcomes).toEqual(['lost DATA_DIR_LOCKED', 'lost DATA_DIR_LOCKED', 'lost DATA_DIR_LOCKED', 'won']);
          for (const c of children) c.child.stdin.end();
          await Promise.all(children.map((c) => c.exited));
          expect(existsSync(join(raceDir, 'nashub.lock'))).toBe(false);
        }
      } finally {
        rmSync(raceDir, { recursive: true, force: true });
      }
    },
    slow,
  );
});
