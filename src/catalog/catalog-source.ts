import type { EntityManager } from 'typeorm';
import { loadCatalog, type Catalog } from '../store/catalog/catalog';

/**
 * Where name lookups read datasets and protocols: the API server's per-process cache (refreshed on a miss, so a name
 * created by another process is found), or the store itself for a CLI command or a worker.
 */
export interface CatalogSource {
  /** The catalog as this source holds it (perhaps a little old). */
  get(): Promise<Catalog>;
  /** The catalog read now: called before a name is reported unknown. */
  refresh(): Promise<Catalog>;
}

/** A source that reads the store on every call: for one-shot commands and workers. */
export function storeCatalog(manager: EntityManager): CatalogSource {
  return { get: () => loadCatalog(manager), refresh: () => loadCatalog(manager) };
}
