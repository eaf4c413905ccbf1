import { Agent, request, type ClientRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { spawnNashub, waitForOutput, type NashubProcess } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const ready = /nashub API on (http:\/\/\S+)/;
// Each step starts a process that opens the database: seconds each on a shared 2-core machine. Not a timing check.
const slow = 300_000;

interface Reply {
  status: number;
  body: string;
}

/** POSTs `query` and resolves with the reply, or rejects with the socket error (e.g. ECONNREFUSED). */
function post(url: string, query: string, agent: Agent | false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => collect(res, resolve),
    );
    req.on('error', reject);
    req.end(body);
  });
}

function collect(res: import('node:http').IncomingMessage, resolve: (reply: Reply) => void): void {
  let text = '';
  res.on('data', (chunk: Buffer) => (text += chunk.toString()));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
}

/**
 * A request whose body is not sent yet: in flight on the server until `finish()`. `admitted` resolves on the server's
 * "100 Continue", which Node writes as it hands the request to the handler: from then on the request is in flight.
 */
function heldRequest(url: string, query: string): { reply: Promise<Reply>; admitted: Promise<void>; finish(): void } {
  const body = JSON.stringify({ query });
  let req!: ClientRequest;
  let admit!: () => void;
  const admitted = new Promise<void>((resolve) => (admit = resolve));
  const reply = new Promise<Reply>((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      expect: '100-continue',
    };
    req = request(url, { method: 'POST', agent: false, headers }, (res) => collect(res, resolve));
    req.on('continue', admit);
    req.on('error', reject);
  });
  req.flushHeaders();
  return { reply, admitted, finish: () => req.end(body) };
}

/** Waits until the server has logged that it is stopping (so "after the signal" is a fact, not a guess). */
async function stopping(server: NashubProcess): Promise<void> {
  const deadline = Date.now() + slow;
  while (!server.stderr().includes('shutting down')) {
    if (Date.now() > deadline) throw new Error(`no shutdown log: ${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`nashub serve stopping on SIGTERM (${onPostgres ? 'postgres' : 'pglite'}; issue 16, defect 5)`, () => {
  let database: TestDatabase;
  let server: NashubProcess | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    // A failed test must not leave its server holding the database for the next one.
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it(
    'finishes the request in flight, answers a later request with 503 SHUTTING_DOWN, refuses new connections, exits 0',
    async () => {
      server = spawnNashub(['serve', '--port', '0'], { ...database.env, NASHUB_LOG_LEVEL: 'info' });
      const url = (await waitForOutput(server, ready, slow))[1];
      // One idle keep-alive connection, opened before the signal, on which the late request will travel.
      const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
      expect((await post(url, '{ spaces { id } }', keepAlive)).status).toBe(200);
      const inFlight = heldRequest(url, '{ spaces { id name } }');
      await inFlight.admitted;

      server.child.kill('SIGTERM');
      await stopping(server);

      const late = await post(url, '{ spaces { id } }', keepAlive);
      expect(late.status).toBe(503);
      expect(JSON.parse(late.body).errors[0].extensions.code).toBe('SHUTTING_DOWN');
      // A new connection finds no listener: the port closed when the signal came.
      const refused = await post(url, '{ spaces { id } }', false).then(
        () => null,
        (error: NodeJS.ErrnoException) => error.code,
      );
      expect(refused).toBe('ECONNREFUSED');

      inFlight.finish();
      const finished = await inFlight.reply;
      expect(finished.status).toBe(200);
      expect(JSON.parse(finished.body).data.spaces.length).toBeGreaterThan(0);
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toContain('stopped cleanly');
      keepAlive.destroy();
    },
    slow,
  );

  it(
    'cuts off a request still in flight at NASHUB_SHUTDOWN_GRACE_SECONDS, says so, exits 1, and the database reopens',
    async () => {
      server = spawnNashub(['serve', '--port', '0'], {
        ...database.env,
        NASHUB_LOG_LEVEL: 'info',
        NASHUB_SHUTDOWN_GRACE_SECONDS: '1',
      });
      const url = (await waitForOutput(server, ready, slow))[1];
      const stuck = heldRequest(url, '{ spaces { id } }');
      const outcome = stuck.reply.then(
        (reply) => `status ${reply.status}`,
        (error: NodeJS.ErrnoException) => error.code,
      );
      await stuck.admitted;
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      expect(await outcome).toBe('ECONNRESET');
      expect(server.stderr()).not.toContain('stopped cleanly');
      expect(server.stderr()).toContain('"cutOff":1');

      const store = await openStore({ config: database.config });
      try {
        expect((await store.dataSource.query('SELECT count(*)::int AS n FROM search_space'))[0].n).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    },
    slow,
  );
});
