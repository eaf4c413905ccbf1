import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ErrorCode, NashubError } from '../../core';
import type { TorchRuntime } from './find-torch';

/** The Python module, beside this file in src/ and in dist/ (the build copies it; the GPU kit's pack.sh too). */
export const TORCH_SESSION_SCRIPT = join(__dirname, 'torch_session.py');

/** Answers start with this; any other line on the child's stdout is noise and is skipped. */
const MARKER = '@nashub ';
/** Bytes of the child's stderr kept for error messages. */
const STDERR_TAIL = 4096;

/** Options of {@link TorchProcess.start}. */
export interface TorchProcessOptions {
  runtime: TorchRuntime;
  /** torch.set_num_threads: fixed, so that a seed gives the same curve. */
  threads: number;
  /** `cuda`, `cpu`, or `auto` (CUDA when available). */
  device: 'auto' | 'cuda' | 'cpu';
}

/** What the Python side says of itself after `hello`. */
export interface TorchHello {
  torch: string;
  /** `cuda` or `cpu`. */
  device: string;
  /** The GPU's name, or `cpu (1 thread)` or `cpu (N threads)`. */
  deviceName: string;
  pid: number;
}

/** The hardware of a PyTorch process in words, for run rows and logs: `gpu (NVIDIA H200; torch 2.5.1)`. */
export function describeTorchDevice(hello: { device: string; deviceName: string; torch: string }): string {
  return hello.device === 'cuda'
    ? `gpu (${hello.deviceName}; torch ${hello.torch})`
    : `${hello.deviceName.replace(/\)$/, '')}; torch ${hello.torch})`;
}

interface Pending {
  cmd: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * One long-lived Python process running torch_session.py: JSON requests on its stdin, one `@nashub {json}` answer
 * line each on its stdout (see the module's docstring). A request the Python side refuses is BACKEND_UNAVAILABLE with
 * its message; the process exiting (killed, crashed, out of memory) fails every pending and later request with
 * BACKEND_UNAVAILABLE, `details.exited` true.
 */
export class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  private exited: NashubError | null = null;

  private constructor(runtime: TorchRuntime) {
    if (!existsSync(TORCH_SESSION_SCRIPT))
      throw new NashubError(ErrorCode.BACKEND_UNAVAILABLE, `the PyTorch module ${TORCH_SESSION_SCRIPT} is missing`, {
        details: { backend: 'pytorch', script: TORCH_SESSION_SCRIPT },
      });
    this.child = spawn(runtime.python, ['-u', TORCH_SESSION_SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answer(line));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    // A write to a dead child's stdin fails with EPIPE; the exit handler reports it.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => this.fail(`could not run ${runtime.python}: ${error.message}`, null, null));
    this.child.on('exit', (code, signal) => this.fail('exited', code, signal));
  }

  /** Starts the process and says hello (threads, device, determinism). */
  static async start(options: TorchProcessOptions): Promise<{ process: TorchProcess; hello: TorchHello }> {
    const process = new TorchProcess(options.runtime);
    try {
      const hello = await process.request<TorchHello>('hello', { threads: options.threads, device: options.device });
      return { process, hello };
    } catch (error) {
      process.kill();
      throw error;
    }
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one request and waits for its answer. */
  request<T>(cmd: string, body: Record<string, unknown> = {}): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { cmd, resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...body })}\n`);
    });
  }

  /** Kills the process (SIGKILL: it holds no state worth a goodbye) and fails whatever is pending. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private answer(line: string): void {
    const at = line.indexOf(MARKER);
    if (at < 0) return;
    let message: { id: number; result?: unknown; error?: { message: string; kind: string; trace?: string } };
    try {
      message = JSON.parse(line.slice(at + MARKER.length));
    } catch {
      return;
    }
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    if (message.error === undefined) pending.resolve(message.result);
    else
      pending.reject(
        new NashubError(ErrorCode.BACKEND_UNAVAILABLE, `PyTorch ${pending.cmd} failed: ${message.error.message}`, {
          details: { backend: 'pytorch', cmd: pending.cmd, kind: message.error.kind, trace: message.error.trace },
        }),
      );
  }

  private fail(what: string, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    const how = signal !== null ? `killed by ${signal}` : code !== null ? `exit code ${code}` : 'no exit status';
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    const during = [...this.pending.values()].map((p) => p.cmd).join(', ');
    this.exited = new NashubError(
      ErrorCode.BACKEND_UNAVAILABLE,
      `the PyTorch process ${what === 'exited' ? `exited (${how})` : what}${during ? ` during ${during}` : ''}${tail ? `: ${tail}` : ''}`,
      { details: { backend: 'pytorch', exited: true, code, signal, pid: this.child.pid } },
    );
    for (const pending of this.pending.values()) pending.reject(this.exited);
    this.pending.clear();
  }
}
