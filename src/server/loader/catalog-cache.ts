import type { EntityManager } from 'typeorm';
import { loadCatalog, type Catalog } from '../../store/catalog/catalog';

/** How long a process keeps the catalog before reading it again, so protocols added elsewhere show up. */
const TTL_MS = 10_000;

/**
 * Datasets and protocols, shared by the requests of one server process. Rows are never deleted and a protocol's epochs
 * never change, so a stale copy can only lack a new name: `refresh()` before reporting a name as unknown makes that
 * safe, and the TTL picks up a new default (full-budget) protocol.
 */
export class CatalogCache {
  private current: Promise<Catalog> | undefined;
  private loadedAt = 0;

  constructor(private readonly manager: EntityManager) {}

  /** The cached catalog, read again after the TTL. */
  get(): Promise<Catalog> {
    if (!this.current || Date.now() - this.loadedAt > TTL_MS) return this.refresh();
    return this.current;
  }

  /** Reads the catalog now (after a miss, or after this process changed it). */
  refresh(): Promise<Catalog> {
    this.loadedAt = Date.now();
    const loading = loadCatalog(this.manager);
    this.current = loading;
    loading.catch(() => {
      if (this.current === loading) this.current = undefined;
    });
    return loading;
  }
}
