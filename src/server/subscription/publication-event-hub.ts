import type { Logger } from 'pino';
import type { Store } from '../../store';
import { PUBLICATION_EVENT_CHANNEL, parsePublicationNotice, type PublicationNotice } from '../../store/release';
import { NotifyHub } from './notify-hub';

/** Release publication notices (channel `nashub_publication`) by publication id, for `releasePublicationProgress`. */
export class PublicationEventHub extends NotifyHub<PublicationNotice> {
  constructor(store: Store, logger: Logger) {
    super(store, logger, {
      channel: PUBLICATION_EVENT_CHANNEL,
      parse: parsePublicationNotice,
      keyOf: (e) => e.id,
      what: 'release publication notice',
    });
  }
}
