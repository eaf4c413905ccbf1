import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { loggableError } from '../../core';
import type { Store } from '../../store';
import { API_KEY_CHANNEL, findActiveApiKeyByHash, type ActiveApiKey } from '../../store/api-key';
import type { ChannelListener } from '../../store/listen-channel';

/** How long a lost LISTEN waits before it listens again. */
const RECONNECT_MS = 1_000;

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
  private listener: ChannelListener | null = null;
  /** Moves on at every NOTIFY, loss and (re)start of the LISTEN: a lookup keeps its answer only if it did not move. */
  private epoch = 0;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** Listens; a failure is logged and retried (every request looks its key up meanwhile). */
  async start(): Promise<void> {
    if (this.closed || this.listener) return;
    try {
      this.listener = await this.store.listen({
        channel: API_KEY_CHANNEL,
        onNotify: () => this.forget(),
        onError: (error) => this.lost(error),
      });
      // Lookups that started before the LISTEN may have missed a NOTIFY: none of them is kept.
      this.forget();
    } catch (error) {
      this.lost(error);
    }
  }

  /** The active key with this hash, or null: kept, or looked up (and kept when nothing changed meanwhile). */
  async find(manager: EntityManager, keyHash: string): Promise<ActiveApiKey | null> {
    const kept = this.keys.get(keyHash);
    if (kept) return kept;
    const epoch = this.epoch;
    const found = await findActiveApiKeyByHash(manager, keyHash);
    if (found && this.listener && epoch === this.epoch) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.set(keyHash, found);
    }
    return found;
  }

  /** Stops listening and keeps nothing from now on. */
  async close(): Promise<void> {
    this.closed = true;
    this.forget();
    if (this.retry) clearTimeout(this.retry);
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }

  private forget(): void {
    this.epoch++;
    this.keys.clear();
  }

  private lost(error: unknown): void {
    this.forget();
    const listener = this.listener;
    this.listener = null;
    void listener?.close().catch(() => undefined);
    if (this.closed) return;
    this.logger.error(
      { err: loggableError(error) },
      'API key LISTEN lost; every request looks its key up until it is back',
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
