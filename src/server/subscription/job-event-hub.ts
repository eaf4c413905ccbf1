import type { Logger } from 'pino';
import type { Store } from '../../store';
import { JOB_EVENT_CHANNEL, parseJobEvent, type JobEvent } from '../../store/training';
import { NotifyHub } from './notify-hub';

/** Training job events (channel `nashub_job`) by job id, for `jobProgress`. */
export class JobEventHub extends NotifyHub<JobEvent> {
  constructor(store: Store, logger: Logger) {
    super(store, logger, {
      channel: JOB_EVENT_CHANNEL,
      parse: parseJobEvent,
      keyOf: (e) => e.jobId,
      what: 'job event',
    });
  }
}
