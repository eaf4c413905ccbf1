import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link runStartupBench}. */
export interface StartupBenchOptions {
  /** PostgreSQL URL to measure too; skipped when absent. */
  databaseUrl?: string;
  /** Give up on one start after this many milliseconds. */
  timeoutMs: number;
}

const cli = join(__dirname, '..', 'cli', 'main.js');
const query = JSON.stringify({ query: '{ spaces { id } }' });

/**
 * Milliseconds from spawning `nashub serve` to the first answered `{ spaces { id } }`: PGlite in a new folder, the
 * same folder reopened, and PostgreSQL when a URL is given.
 */
export async function runStartupBench(options: StartupBenchOptions): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nashub-startup-'));
  try {
    const result: Record<string, number> = {
      pgliteNewMs: await timeStart({ NASHUB_DATA: dataDir, DATABASE_URL: '' }, options.timeoutMs),
      pgliteReopenedMs: await timeStart({ NASHUB_DATA: dataDir, DATABASE_URL: '' }, options.timeoutMs),
    };
    if (options.databaseUrl)
      result.postgresMs = await timeStart({ DATABASE_URL: options.databaseUrl }, options.timeoutMs);
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timeStart(env: Record<string, string>, timeoutMs: number): Promise<number> {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port)], {
    env: { ...process.env, NASHUB_LOG_LEVEL: 'warn', ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nashub serve exited with ${child.exitCode}`);
      if (performance.now() - started > timeoutMs) throw new Error(`no answer within ${timeoutMs} ms`);
      const answered = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: query,
      }).then(
        (res) => res.ok,
        () => false,
      );
      if (answered) return Math.round(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
