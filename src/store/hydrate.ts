import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Maps rows of hand-written SQL onto an entity's properties (`dataset_id` → `datasetId`), converting values as
 * TypeORM does when it reads the entity itself (timestamps become Dates). Columns the rows lack stay undefined, so a
 * query selects {@link entityColumns}; columns the entity does not map are ignored.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Record<string, unknown>[],
): T[] {
  const { driver } = manager.connection;
  const columns = manager.connection.getMetadata(entity).columns.filter((column) => column.isSelect);
  return rows.map((row) => {
    const result: Record<string, unknown> = {};
    for (const column of columns) {
      if (column.databaseName in row)
        result[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return result as T;
  });
}
