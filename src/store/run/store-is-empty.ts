import type { EntityManager } from 'typeorm';

/** True when the store holds no run at all (a new store: `serve` says how to fill it). */
export async function storeIsEmpty(manager: EntityManager): Promise<boolean> {
  const [row]: Array<{ empty: boolean }> = await manager.query('SELECT NOT EXISTS (SELECT 1 FROM run) AS empty');
  return row.empty;
}
