import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { HttpLoadJob, HttpLoadMessage } from './http-load.child';
import type { ClosedLoopResult, WindowEdge } from './closed-loop';

/** What an HTTP load measured, plus the load generator's own CPU time. */
export interface HttpLoadResult extends ClosedLoopResult {
  /** CPU milliseconds the load process spent in the measured window (user + system). */
  clientCpuMs: number;
}

/**
 * Runs a closed-loop HTTP load in a child process (compiled beside this file) and resolves with what it measured;
 * `onWindow` hears the measured window's edges as the child passes them.
 */
export function runHttpLoad(job: HttpLoadJob, onWindow?: (edge: WindowEdge) => void): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'http-load.child.js'), [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let answered = false;
    child.on('message', (message: HttpLoadMessage) => {
      if ('window' in message) {
        onWindow?.(message.window);
        return;
      }
      answered = true;
      if (message.ok) resolve({ ...message.result, clientCpuMs: message.cpuMs });
      else reject(new Error(`HTTP load failed: ${message.message}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered) reject(new Error(`HTTP load process exited (${signal ?? code}) before answering`));
    });
    child.send(job);
  });
}
