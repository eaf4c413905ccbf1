import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteRun, readRemoteRun } from '../src/bench/search-remote-run';
import { syntheticNb201Cells } from './support/search-fixtures';
import { startSearchServer, type SearchServer } from './support/search-service-fixtures';
import { onPostgres } from './support/test-database';

const script = join(__dirname, '..', 'examples', 'python', 'nashub_worker.py');
const cells = new Map(syntheticNb201Cells().map((c) => [c.arch, c]));

/** Runs `python3 ARGS` to its end. */
function python3(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `python3 examples/python/nashub_worker.py ARGS` (the example's `__main__`) to its end. */
const python = (args: string[]) => python3([script, ...args]);

describe(`the Python worker example against a real server (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let s: SearchServer;

  beforeAll(async () => {
    s = await startSearchServer();
  }, 180_000);

  afterAll(async () => {
    await s?.close();
  });

  it('two python3 processes finish a TABLE run: exactly the evaluation budget told, no trial twice', async () => {
    const budget = 30;
    const run = await createRemoteRun(s.url, s.key, {
      preset: 'nb201-cifar10-valid',
      strategy: 'REGULARIZED_EVOLUTION',
      budgetEvaluations: budget,
      seed: 7,
      mode: 'TABLE',
    });
    const workers = await Promise.all(
      ['py-a', 'py-b'].map((name) =>
        python(['--url', s.url, '--key', s.key, '--run', run, '--worker', name, '--quiet']),
      ),
    );
    for (const w of workers) expect(w.code, w.stderr).toBe(0);
    const summaries = workers.map(
      (w) => JSON.parse(w.stdout.trim().split('\n').at(-1)!) as { worker: string; told: number },
    );
    expect(summaries.map((x) => x.worker)).toEqual(['py-a', 'py-b']);
    expect(summaries[0].told + summaries[1].told).toBe(budget);

    const state = await readRemoteRun(s.url, run);
    expect(state.status).toBe('FINISHED');
    expect(state.budgetUsed.evaluations).toBe(budget);
    const told = state.trials.filter((trial) => trial.state === 'TOLD');
    expect(told).toHaveLength(budget);
    expect(new Set(state.trials.map((trial) => trial.id)).size).toBe(state.trials.length);
    expect(state.trials.map((trial) => trial.number)).toEqual(state.trials.map((_, i) => i));
    // Each worker told what it said it told, and the value told is the stored hp=12 record the trial carried.
    for (const x of summaries) expect(told.filter((trial) => trial.worker === x.worker)).toHaveLength(x.told);
    for (const trial of told) {
      expect(trial.protocol).toBe('hp=12');
      expect(trial.value).toBe(cells.get(trial.architecture.arch)!.valid12);
    }
    // Asked again after the run finished: the loop stops at once, telling nothing.
    const late = await python(['--url', s.url, '--key', s.key, '--run', run, '--quiet']);
    expect(late.code, late.stderr).toBe(0);
    expect(JSON.parse(late.stdout.trim())).toMatchObject({ told: 0 });
  }, 180_000);

  it("the class's calls one by one: heartbeat, tell (twice), a value not the record's, fail", async () => {
    const run = await createRemoteRun(s.url, s.key, {
      preset: 'nb201-cifar10-valid',
      strategy: 'RANDOM',
      budgetEvaluations: 5,
      mode: 'TABLE',
    });
    const snippet = `
import json, sys
sys.path.insert(0, ${JSON.stringify(join(__dirname, '..', 'examples', 'python'))})
from nashub_worker import NashubWorker, NashubError
w = NashubWorker(sys.argv[1], sys.argv[2], sys.argv[3], worker="py-calls")
first, second = w.ask(2)["trials"]
out = {"asked": [first["number"], second["number"]], "beat": w.heartbeat(first["id"])["state"]}
try:
    w.tell(first["id"], first["simulated"]["value"] + 1)
except NashubError as error:
    out["wrong"] = error.code
told = w.tell(first["id"], first["simulated"]["value"], first["simulated"]["cost"])
again = w.tell(first["id"], first["simulated"]["value"], first["simulated"]["cost"])
out["told"] = [told["state"], again["state"], told["value"] == again["value"] == first["simulated"]["value"]]
out["failed"] = w.fail(second["id"], "out of memory")["state"]
out["run"] = w.search_run()["budgetUsed"]
print(json.dumps(out))
`;
    const result = await python3(['-c', snippet, s.url, s.key, run]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      asked: [0, 1],
      beat: 'RUNNING',
      wrong: 'INVALID_ARGUMENT',
      told: ['TOLD', 'TOLD', true],
      failed: 'FAILED',
      run: { evaluations: 1, seconds: expect.any(Number) },
    });
    const state = await readRemoteRun(s.url, run);
    expect(state.trials.map((t) => [t.number, t.state, t.worker])).toEqual([
      [0, 'TOLD', 'py-calls'],
      [1, 'FAILED', 'py-calls'],
    ]);
  }, 120_000);

  it('retries with backoff when the server answers 503 (a restart), then works on', async () => {
    const run = await createRemoteRun(s.url, s.key, {
      preset: 'nb201-cifar10-valid',
      strategy: 'RANDOM',
      budgetEvaluations: 3,
      mode: 'TABLE',
    });
    // A proxy that answers the first 3 requests 503 SHUTTING_DOWN itself and forwards the rest to the real server.
    let hits = 0;
    const proxy = createServer((req, res) => {
      hits++;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (hits <= 3) {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: 'shutting down', extensions: { code: 'SHUTTING_DOWN' } }] }));
          return;
        }
        fetch(s.url, { method: 'POST', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) })
          .then(async (upstream) => {
            res.writeHead(upstream.status, { 'content-type': 'application/json' });
            res.end(await upstream.text());
          })
          .catch(() => res.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
      const worker = await python(['--url', url, '--key', s.key, '--run', run, '--quiet']);
      expect(worker.code, worker.stderr).toBe(0);
      expect(JSON.parse(worker.stdout.trim())).toMatchObject({ told: 3 });
      expect(hits).toBeGreaterThan(3);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    const state = await readRemoteRun(s.url, run);
    expect(state).toMatchObject({ status: 'FINISHED', budgetUsed: { evaluations: 3 } });
    expect(state.trials.map((t) => t.state)).toEqual(['TOLD', 'TOLD', 'TOLD']);
  }, 120_000);

  it('answers a wrong key and an unknown run with typed errors, exit 2 and nothing told', async () => {
    const run = await createRemoteRun(s.url, s.key, {
      preset: 'nb201-cifar10-valid',
      strategy: 'RANDOM',
      budgetEvaluations: 5,
      mode: 'TABLE',
    });
    const wrongKey = await python(['--url', s.url, '--key', `${s.key}x`, '--run', run]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/^nashub: UNAUTHENTICATED: /m);
    const unknown = await python(['--url', s.url, '--key', s.key, '--run', '999999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^nashub: NOT_FOUND: /m);
    const state = await readRemoteRun(s.url, run);
    expect(state.trials).toEqual([]);
    expect(state.status).toBe('RUNNING');
  }, 120_000);
});
