import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI (`npm test` builds first). */
export const cliPath = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/** A running `nashub` child process. */
export interface NashubProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `node dist/cli/main.js ARGS` with extra environment variables. */
export function spawnNashub(args: string[], env: Record<string, string>): NashubProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, NASHUB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** A finished `nashub` run: its exit code, its non-empty stdout lines and its stderr. */
export interface NashubRun {
  code: number | null;
  lines: string[];
  stderr: string;
}

/** Runs `nashub ARGS` to its end. */
export async function runNashub(args: string[], env: Record<string, string>): Promise<NashubRun> {
  const proc = spawnNashub(args, env);
  const code = await proc.exited;
  const lines = proc
    .stdout()
    .trim()
    .split('\n')
    .filter((line) => line !== '');
  return { code, lines, stderr: proc.stderr() };
}

/** Waits until stdout matches, or the process exits, or the timeout passes. */
export async function waitForOutput(
  proc: NashubProcess,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = proc.stdout().match(pattern);
    if (match) return match;
    if (proc.child.exitCode !== null) throw new Error(`nashub exited ${proc.child.exitCode}: ${proc.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stderr: ${proc.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
