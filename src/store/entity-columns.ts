import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The select list of an entity's columns for hand-written SQL (`id, space, dataset_id, …`, each prefixed with
 * `alias.` when given), in the entity's order, leaving out columns marked `select: false` (stored model weights,
 * checkpoints). Read the rows back with {@link hydrate}.
 */
export function entityColumns<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  alias?: string,
): string {
  const prefix = alias ? `${alias}.` : '';
  return manager.connection
    .getMetadata(entity)
    .columns.filter((column) => column.isSelect)
    .map((column) => `${prefix}${column.databaseName}`)
    .join(', ');
}
