import type { EntityManager } from 'typeorm';
import { loadRecords, type RecordRequest } from '../../store/record/load-records';
import type { RecordResult } from '../../store/record/record';

/** Most record requests of one shared read; a caller's own requests are never split. */
const MAX_REQUESTS = 1_000;

/** One request's record batch waiting for the next shared read. */
interface Caller {
  requests: readonly RecordRequest[];
  resolve(results: Array<RecordResult | null>): void;
  reject(error: unknown): void;
}

/**
 * The record reads of every request a server process is answering, sent together: the batches that requests' record
 * loaders dispatch in one turn of the event loop go to the database in one {@link loadRecords} call (a statement per
 * 1,000 architectures of a space, dataset and protocol) instead of a statement each. Sixteen clients asking for one
 * architecture each then cost the database one round trip, not sixteen. Nothing is kept between turns: every read
 * reads the store, and a request's statement count still does not depend on its list sizes.
 */
export class SharedRecordReads {
  private waiting: Caller[] = [];
  private scheduled = false;

  constructor(private readonly manager: EntityManager) {}

  /** Records for `requests`, in order, read with those of the other requests of this turn. */
  load(requests: readonly RecordRequest[]): Promise<Array<RecordResult | null>> {
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
    let group: Caller[] = [];
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

  /** One loadRecords call for the callers' requests; each caller gets its own slice of the results, or the error. */
  private async read(callers: Caller[]): Promise<void> {
    try {
      const results = await loadRecords(
        this.manager,
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
