import type { Logger } from 'pino';
import type { Store } from '../../store';
import { SEARCH_EVENT_CHANNEL, parseSearchRunNotice, type SearchRunNotice } from '../../store/search';
import { NotifyHub } from './notify-hub';

/** Search run notices (channel `nashub_search`) by run id, for `searchRunEvents`. */
export class SearchEventHub extends NotifyHub<SearchRunNotice> {
  constructor(store: Store, logger: Logger) {
    super(store, logger, {
      channel: SEARCH_EVENT_CHANNEL,
      parse: parseSearchRunNotice,
      keyOf: (e) => String(e.runId),
      what: 'search run event',
    });
  }
}
