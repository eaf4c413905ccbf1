import { createRng } from '../../core';
import { runClosedLoop, type ClosedLoopResult, type WindowEdge } from './closed-loop';
import { createLoadPoster, type LoadClient } from './load-client';

/** What the bench process sends the HTTP load process. */
export interface HttpLoadJob {
  /** GraphQL endpoint. */
  url: string;
  /** Prepared request bodies; each request picks one at random. */
  bodies: string[];
  concurrency: number;
  /** Which HTTP client sends the requests. */
  client: LoadClient;
  warmupMs: number;
  durationMs: number;
  seed: number;
}

/** The load process's messages: each window edge as it passes, then what it measured and the CPU it spent in the window, or the first failure. */
export type HttpLoadMessage =
  { window: WindowEdge } | { ok: true; result: ClosedLoopResult; cpuMs: number } | { ok: false; message: string };

// The load generator is its own process so that the bench process's CPU time is the server's alone.
async function run(job: HttpLoadJob, onWindow: (edge: WindowEdge) => void): Promise<ClosedLoopResult> {
  const poster = createLoadPoster(job.client, job.url, job.concurrency);
  const rng = createRng(job.seed);
  try {
    return await runClosedLoop({
      concurrency: job.concurrency,
      warmupMs: job.warmupMs,
      durationMs: job.durationMs,
      onWindow,
      request: async () => {
        const text = await poster.post(job.bodies[rng.int(job.bodies.length)]);
        // A cheap check on every answer; the bench process checks answers in full before the load starts.
        if (text.includes('"errors"')) throw new Error(`GraphQL error: ${text.slice(0, 500)}`);
      },
    });
  } finally {
    poster.close();
  }
}

process.once('message', (job: HttpLoadJob) => {
  let cpuStart: NodeJS.CpuUsage | undefined;
  let cpuMs = NaN;
  const onWindow = (edge: WindowEdge): void => {
    process.send!({ window: edge } satisfies HttpLoadMessage);
    if (edge === 'start') cpuStart = process.cpuUsage();
    else if (cpuStart) {
      const cpu = process.cpuUsage(cpuStart);
      cpuMs = (cpu.user + cpu.system) / 1000;
    }
  };
  const reply = (message: HttpLoadMessage): void => {
    process.send!(message, () => process.disconnect());
  };
  run(job, onWindow).then(
    (result) => reply({ ok: true, result, cpuMs }),
    (error: unknown) => reply({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
