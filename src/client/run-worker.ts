import { hostname } from 'node:os';
import type { ClientAsk, ClientSearchTrial, NashubClient } from './nashub-client';
import { isNashubClientError } from './nashub-client-error';
import { sleep } from './post-graphql';

/** What an evaluation gives back to tell. */
export interface TrialResult {
  /** The trial's metric (accuracies in percent). */
  value: number;
  /** What the evaluation cost, in seconds. */
  cost?: number | null;
  /** Per-epoch values, when the worker has them. */
  curve?: number[] | null;
}

/** Options of {@link runWorker}. */
export interface RunWorkerOptions {
  client: NashubClient;
  /** The search run's id. */
  run: string;
  /** This worker's name, unique among the run's workers; default host-pid-random. */
  worker?: string;
  /** Evaluates one trial (trains `trial.architecture.arch` under `trial.protocol`); a throw fails the trial. */
  evaluate: (trial: ClientSearchTrial, context: { signal: AbortSignal }) => Promise<TrialResult>;
  /** Trials asked for (and evaluated concurrently) at once, 1..64; default 1. */
  n?: number;
  /** Stops the loop: a trial being evaluated is left to expire and be asked again. */
  signal?: AbortSignal;
  /** Seconds between heartbeats of a running evaluation; default a third of the trial's lease. */
  heartbeatSeconds?: number;
  /** Called after each trial is told, failed or refused. */
  onTrial?: (event: WorkerTrialEvent) => void;
  /**
   * Whether the last result of each round of trials is told with `tellAndAsk`, which asks for the next round in the
   * same request (default true); false tells and asks in two requests.
   */
  tellAndAsk?: boolean;
}

/** What became of one trial. */
export interface WorkerTrialEvent {
  trial: ClientSearchTrial;
  /** TOLD; FAILED (evaluate threw); REFUSED (the server took no result: the lease lapsed or the run ended). */
  outcome: 'TOLD' | 'FAILED' | 'REFUSED';
  /** The error of a FAILED or REFUSED trial. */
  error?: unknown;
}

/** How a worker's loop ended. */
export interface RunWorkerSummary {
  /** Trials told. */
  told: number;
  /** Trials failed because evaluate threw. */
  failed: number;
  /** Results the server refused (CONFLICT: the trial expired, or the run finished or was stopped meanwhile). */
  refused: number;
  /** True when the run finished (or was stopped), false when the signal stopped the loop. */
  finished: boolean;
}

/** Codes that say a trial is no longer this worker's to tell: the loop goes on (the next ask says if the run ended). */
const REFUSALS = new Set(['CONFLICT', 'NOT_FOUND']);

function defaultWorkerName(): string {
  return `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Seconds of a trial's lease, from the server's own timestamps (so clock skew does not matter). */
function leaseSecondsOf(trial: ClientSearchTrial): number | null {
  if (trial.leaseExpiresAt === null) return null;
  const seconds = (Date.parse(trial.leaseExpiresAt) - Date.parse(trial.askedAt)) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A worker of a search run: ask → evaluate → tell until the run is finished. The last result of a round is told with
 * `tellAndAsk`, so the next round comes back in the same request. Asked nothing (others hold the last trials), it
 * sleeps the server's `retryAfterSeconds`; a long evaluation heartbeats so its lease does not lapse; an
 * evaluation that throws fails the trial with the error's message. A result the server refuses as CONFLICT or
 * NOT_FOUND (the lease lapsed, the run ended) is counted and the loop goes on; any other error (a value out of the
 * metric's scale, no answer after the client's retries) ends the loop with that error.
 */
export async function runWorker(options: RunWorkerOptions): Promise<RunWorkerSummary> {
  const { client, run } = options;
  const worker = options.worker ?? defaultWorkerName();
  const signal = options.signal ?? new AbortController().signal;
  const summary: RunWorkerSummary = { told: 0, failed: 0, refused: 0, finished: false };
  const n = options.n ?? 1;
  /** The next round, when the last tell of this one asked for it. */
  let next: ClientAsk | null = null;

  /** Evaluates and settles one trial of a round; `ended()` says (once) whether it was the round's last evaluation. */
  const settle = async (trial: ClientSearchTrial, ended: () => boolean): Promise<void> => {
    const trialAbort = new AbortController();
    const stopTrial = () => trialAbort.abort(signal.reason);
    signal.addEventListener('abort', stopTrial, { once: true });
    const every = options.heartbeatSeconds ?? (leaseSecondsOf(trial) ?? 600) / 3;
    const heartbeat = setInterval(() => {
      client.heartbeat({ trial: trial.id, worker }).catch((error: unknown) => {
        // The lease is gone (expired and asked again): stop working on it. Other errors: the next beat tries again.
        if (isNashubClientError(error) && REFUSALS.has(error.code)) trialAbort.abort(error);
      });
    }, every * 1000);
    try {
      let result: TrialResult;
      try {
        result = await options.evaluate(trial, { signal: trialAbort.signal });
      } catch (error) {
        ended();
        if (signal.aborted) return;
        if (trialAbort.signal.aborted) {
          summary.refused++;
          options.onTrial?.({ trial, outcome: 'REFUSED', error: trialAbort.signal.reason });
          return;
        }
        try {
          await client.failTrial({ trial: trial.id, worker, reason: errorMessage(error).slice(0, 1000) || 'failed' });
        } catch (failError) {
          if (!(isNashubClientError(failError) && REFUSALS.has(failError.code))) throw failError;
        }
        summary.failed++;
        options.onTrial?.({ trial, outcome: 'FAILED', error });
        return;
      }
      const last = ended();
      if (signal.aborted) return;
      try {
        const told = {
          trial: trial.id,
          worker,
          value: result.value,
          cost: result.cost ?? null,
          curve: result.curve ?? null,
        };
        let trialTold: ClientSearchTrial;
        if (last && options.tellAndAsk !== false) {
          const answer = await client.tellAndAsk({ ...told, n });
          trialTold = answer.told;
          next = answer.next;
        } else trialTold = await client.tell(told);
        summary.told++;
        options.onTrial?.({ trial: trialTold, outcome: 'TOLD' });
      } catch (error) {
        if (!(isNashubClientError(error) && REFUSALS.has(error.code))) throw error;
        summary.refused++;
        options.onTrial?.({ trial, outcome: 'REFUSED', error });
      }
    } finally {
      clearInterval(heartbeat);
      signal.removeEventListener('abort', stopTrial);
    }
  };

  try {
    while (!signal.aborted) {
      const answer = next ?? (await client.ask({ run, worker, n }, signal));
      next = null;
      if (answer.finished) {
        summary.finished = true;
        break;
      }
      if (answer.trials.length === 0) {
        await sleep(answer.retryAfterSeconds * 1000, signal);
        continue;
      }
      let evaluating = answer.trials.length;
      await Promise.all(answer.trials.map((trial) => settle(trial, () => --evaluating === 0)));
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  return summary;
}
