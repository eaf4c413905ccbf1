/** Most record requests of one shared read; a caller's own requests are never split. */
const MAX_REQUESTS = 1_000;

/** One request's record batch waiting for the next shared read. */
interface Caller<Request, Result> {
  requests: readonly Request[];
  resolve(results: Result[]): void;
  reject(error: unknown): void;
}

/**
 * The record reads of every request a server process is answering, sent together: the batches that requests' record
 * loaders dispatch in one turn of the event loop go to the database in one call of `read` (`loadRecords` or
 * `loadRecordMeans`: a statement per 1,000 architectures of a space, dataset and protocol) instead of a statement each. Sixteen clients asking for one
 * architecture each then cost the database one round trip, not sixteen. Nothing is kept between turns: every read
 * reads the store, and a request's statement count still does not depend on its list sizes.
 */
export class SharedRecordReads<Request, Result> {
  private waiting: Array<Caller<Request, Result>> = [];
  private scheduled = false;

  /** @param readAll reads the results of many requests, in order, in a number of statements that does not grow with them. */
  constructor(private readonly readAll: (requests: readonly Request[]) => Promise<Result[]>) {}

  /** Records for `requests`, in order, read with those of the other requests of this turn. */
  load(requests: readonly Request[]): Promise<Result[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ requests, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the poll phase: the requests whose bytes arrived in this turn have all dispatched their batches.
        setImmediate(this.dispatch);
      }
    });
  }

  private readonly dispatch = (): void => {
    this.scheduled = false;
    const callers = this.waiting;
    this.waiting = [];
    let group: Array<Caller<Request, Result>> = [];
    let size = 0;
    for (const caller of callers) {
      if (size > 0 && size + caller.requests.length > MAX_REQUESTS) {
        void this.read(group);
        group = [];
        size = 0;
      }
      group.push(caller);
      size += caller.requests.length;
    }
    if (group.length > 0) void this.read(group);
  };

  /** One read of the callers' requests; each caller gets its own slice of the results, or the error. */
  private async read(callers: Array<Caller<Request, Result>>): Promise<void> {
    try {
      const results = await this.readAll(
        callers.length === 1 ? callers[0].requests : callers.flatMap((caller) => caller.requests),
      );
      let start = 0;
      for (const caller of callers) {
        const end = start + caller.requests.length;
        caller.resolve(callers.length === 1 ? results : results.slice(start, end));
        start = end;
      }
    } catch (error) {
      for (const caller of callers) caller.reject(error);
    }
  }
}
