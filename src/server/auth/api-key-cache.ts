import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { Store } from '../../store';
import { API_KEY_CHANNEL, findActiveApiKeyByHash, type ActiveApiKey } from '../../store/api-key';
import { ReconnectingListen } from '../listen/reconnecting-listen';

/** Keys kept at most: past it, the cache starts again empty. */
const MAX_KEYS = 10_000;

/**
 * The active API keys this process has checked, so an authenticated request (every ask and tell of a search worker)
 * needs no lookup: kept only while this process LISTENs on the keys' channel, and all dropped at every NOTIFY there
 * (each change to a key sends one at commit: migration ApiKeyChanges) and when the LISTEN is lost. A lookup that
 * started before a NOTIFY arrived is answered but not kept: it may have read the key before the change. Unknown and
 * revoked keys are never kept. What remains is the NOTIFY's trip to this process: a request that arrives within it
 * after a revocation commits is answered as if it had come first.
 */
export class ApiKeyCache {
  private readonly keys = new Map<string, ActiveApiKey>();
  /** Moves on at every NOTIFY, loss and (re)start of the LISTEN: a lookup keeps its answer only if it did not move. */
  private epoch = 0;
  private readonly listen: ReconnectingListen;

  constructor(store: Store, logger: Logger) {
    this.listen = new ReconnectingListen(store, logger, {
      channel: API_KEY_CHANNEL,
      onNotify: () => this.forget(),
      // Lookups that started before the LISTEN may have missed a NOTIFY: none of them is kept.
      onListening: () => this.forget(),
      onLost: () => this.forget(),
      what: 'API key',
      meanwhile: 'every request looks its key up',
    });
  }

  /** Listens; a failure is logged and retried (every request looks its key up meanwhile). */
  start(): Promise<void> {
    return this.listen.start();
  }

  /** The active key with this hash, or null: kept, or looked up (and kept when nothing changed meanwhile). */
  async find(manager: EntityManager, keyHash: string): Promise<ActiveApiKey | null> {
    const kept = this.keys.get(keyHash);
    if (kept) return kept;
    const epoch = this.epoch;
    const found = await findActiveApiKeyByHash(manager, keyHash);
    if (found && this.listen.listening && epoch === this.epoch) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.set(keyHash, found);
    }
    return found;
  }

  /** Stops listening and keeps nothing from now on. */
  close(): Promise<void> {
    return this.listen.close();
  }

  private forget(): void {
    this.epoch++;
    this.keys.clear();
  }
}
