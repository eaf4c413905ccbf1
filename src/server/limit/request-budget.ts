import { limitExceeded } from './limit-exceeded';
import type { NashubError } from '../../core';

/**
 * Work units a request may run before it lets the event loop turn (a unit is about a microsecond of server CPU, see
 * `field-costs.ts`): tens of milliseconds. Counted, not timed, so where a request yields does not depend on the
 * machine's speed.
 */
export const SLICE_UNITS = 5_000;

/** Options of {@link RequestBudget}. */
export interface RequestBudgetOptions {
  /** Most work units the request may spend (the maxComplexity limit). */
  maxComplexity: number;
  /** Most bytes of response the request may build (the maxResponseBytes limit). */
  maxResponseBytes: number;
  /** Units between two turns of the event loop (default {@link SLICE_UNITS}). */
  sliceUnits?: number;
}

/**
 * What one request has spent, as its resolvers really run: work units (list items as they arrive, CPU-heavy fields
 * by their size) against maxComplexity, and an estimate of the response bytes against maxResponseBytes. The first
 * limit passed becomes the request's `failure`, and every later charge throws it, so execution stops building the
 * response. It also paces the request: after each slice of work, the work that follows waits in a queue for the
 * next turn of the event loop, so `/healthz` and other requests are served while a large query runs.
 */
export class RequestBudget {
  /** Units spent so far. */
  used = 0;
  /** Estimated response bytes so far (a lower bound: numbers count a few bytes each). */
  bytes = 0;
  /** The limit this request passed, if any; later charges throw it. */
  failure: NashubError | null = null;
  private slice = 0;
  /** True from the end of a slice until the next turn of the event loop. */
  private waiting = false;
  /** Work waiting for a turn, oldest first, from `head` on. */
  private queue: Array<() => void> = [];
  private head = 0;
  private readonly sliceUnits: number;

  constructor(private readonly options: RequestBudgetOptions) {
    this.sliceUnits = options.sliceUnits ?? SLICE_UNITS;
  }

  /** Spends `units`; throws LIMIT_EXCEEDED (maxComplexity) when the request has spent more than it may. */
  charge(units: number): void {
    if (this.failure) throw this.failure;
    this.used += units;
    if (this.used > this.options.maxComplexity)
      this.fail(limitExceeded('maxComplexity', this.options.maxComplexity, this.used));
  }

  /** Adds to the response size; throws LIMIT_EXCEEDED (maxResponseBytes) past the cap. */
  chargeBytes(bytes: number): void {
    if (this.failure) throw this.failure;
    this.bytes += bytes;
    if (this.bytes > this.options.maxResponseBytes)
      this.fail(limitExceeded('maxResponseBytes', this.options.maxResponseBytes, this.bytes));
  }

  /** True from the end of a slice until the next turn of the event loop: work now waits in {@link run}'s queue. */
  get mustWait(): boolean {
    return this.waiting;
  }

  /** Runs `work` (about `units` of synchronous CPU) now while the current slice lasts, else in its turn after it. */
  run<T>(units: number, work: () => T): T | Promise<T> {
    if (this.failure) throw this.failure;
    if (!this.waiting) {
      this.pace(units);
      return work();
    }
    return new Promise<T>((resolve, reject) =>
      this.queue.push(() => {
        try {
          if (this.failure) throw this.failure;
          this.pace(units);
          resolve(work());
        } catch (error) {
          reject(error);
        }
      }),
    );
  }

  /** Resolves when the request may run `units` more of synchronous CPU: for resolvers that compute after an await. */
  turn(units: number): Promise<void> {
    return Promise.resolve(this.run(units, () => undefined));
  }

  /** Counts `units` of work just done toward the current slice; work after the slice's end waits for a turn. */
  pace(units: number): void {
    this.slice += units;
    if (this.slice >= this.sliceUnits && !this.waiting) {
      this.waiting = true;
      // setImmediate runs after the poll phase, so pending I/O (a health check, other requests) is served first.
      setImmediate(this.drain);
    }
  }

  /**
   * A DataLoader `batchScheduleFn`: dispatches a batch as DataLoader would (after the current promise jobs), but
   * behind the work that waits for a turn, which may still add keys. Batches then hold the same keys whether or not
   * the request yielded, so a yield never costs an extra SQL statement.
   */
  readonly schedule = (dispatch: () => void): void => {
    void Promise.resolve().then(() =>
      process.nextTick(() => {
        if (this.waiting) this.queue.push(() => this.schedule(dispatch));
        else dispatch();
      }),
    );
  };

  /** Runs waiting work in order until a slice is spent again (then the rest waits for the next turn). */
  private readonly drain = (): void => {
    this.waiting = false;
    this.slice = 0;
    while (this.head < this.queue.length && !this.waiting) this.queue[this.head++]!();
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1_024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  };

  private fail(error: NashubError): never {
    this.failure = error;
    throw error;
  }
}
