import type { ClaimedJob, JobQueue, QueueNameValue } from './job-queue';

/** The states a {@link QueueWorker} passes through, in one vocabulary. */
export const WorkerState = {
  CREATED: 'created',
  IDLE: 'idle',
  WORKING: 'working',
  STOPPING: 'stopping',
  STOPPED: 'stopped',
} as const;
export type WorkerStateValue = (typeof WorkerState)[keyof typeof WorkerState];

/** What a handler decided: the job is done, or given back untouched (a worker stopping between epochs). */
export type HandlerOutcome =
  { outcome: 'completed'; output?: object } | { outcome: 'released' } | { outcome: 'settled' };

/** Options of {@link QueueWorker}. */
export interface QueueWorkerOptions<T> {
  queue: JobQueue;
  name: QueueNameValue;
  /** Does one job. `signal` aborts when the worker stops: finish the step in hand, then return `released`. */
  handle(job: ClaimedJob<T>, signal: AbortSignal): Promise<HandlerOutcome>;
  /** Pause between empty polls (default 1000 ms). */
  pollIntervalMs?: number;
  /** A handler threw (the job is failed and pg-boss retries it), or the queue did. Never dropped silently. */
  onError(error: Error, job: ClaimedJob<T> | null): void;
  onState?(state: WorkerStateValue): void;
}

/**
 * One worker loop over one queue (after pg-boss's own worker): claim, handle, complete or fail, repeat. A handler
 * that throws fails the job, so pg-boss retries it with backoff. `stop()` aborts the handler's signal and awaits the
 * loop.
 */
export class QueueWorker<T> {
  private state: WorkerStateValue = WorkerState.CREATED;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Jobs handled, by outcome. */
  readonly counts = { completed: 0, failed: 0, released: 0, settled: 0 };

  constructor(private readonly options: QueueWorkerOptions<T>) {}

  get currentState(): WorkerStateValue {
    return this.state;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Resolves when the loop has stopped; the job in hand finishes its step first. */
  async stop(): Promise<void> {
    if (this.state === WorkerState.STOPPED) return;
    this.setState(WorkerState.STOPPING);
    this.abort.abort();
    this.wake?.();
    await this.loop;
    this.setState(WorkerState.STOPPED);
  }

  private setState(state: WorkerStateValue): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }

  private async run(): Promise<void> {
    const { queue, name } = this.options;
    while (!this.abort.signal.aborted) {
      let job: ClaimedJob<T> | null = null;
      try {
        job = await queue.claim<T>(name);
      } catch (error) {
        this.options.onError(toError(error), null);
      }
      if (job && this.abort.signal.aborted) {
        // Claimed while stopping: give it back untouched rather than start work that would be cut short.
        await queue.releaseJob(job.id).catch((error) => this.options.onError(toError(error), job));
        break;
      }
      if (!job) {
        if (this.abort.signal.aborted) break;
        this.setState(WorkerState.IDLE);
        await this.sleep(this.options.pollIntervalMs ?? 1000);
        continue;
      }
      this.setState(WorkerState.WORKING);
      try {
        const result = await this.options.handle(job, this.abort.signal);
        if (result.outcome === 'completed') await queue.complete(name, job.id, result.output);
        else if (result.outcome === 'released') await queue.releaseJob(job.id);
        this.counts[result.outcome] += 1;
      } catch (error) {
        this.counts.failed += 1;
        const cause = toError(error);
        this.options.onError(cause, job);
        await queue.fail(name, job.id, cause).catch((failError) => this.options.onError(toError(failError), job));
      }
      if (!this.abort.signal.aborted) this.setState(WorkerState.IDLE);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
