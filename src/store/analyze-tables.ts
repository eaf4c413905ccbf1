import type { EntityManager } from 'typeorm';

/**
 * Refreshes planner statistics after a bulk write. PGlite runs no autovacuum, so without this a PGlite store never has
 * statistics and the record queries scan the whole run table (measured by `nashub bench api`); on PostgreSQL it saves
 * waiting for autovacuum.
 */
export async function analyzeTables(manager: EntityManager): Promise<void> {
  await manager.query('ANALYZE architecture, architecture_external_id, run, run_curve');
}
