import type { DataSource } from 'typeorm';
import type { SearchSpace } from '../core';
import { SearchSpaceEntity } from './entity';

/** Upserts core's registered spaces so architectures can reference them; one transaction, idempotent. */
export async function syncSearchSpaces(dataSource: DataSource, spaces: readonly SearchSpace[]): Promise<void> {
  if (spaces.length === 0) return;
  await dataSource.transaction(async (manager) => {
    await manager
      .createQueryBuilder()
      .insert()
      .into(SearchSpaceEntity)
      .values(spaces.map((space) => ({ name: space.name, title: space.title })))
      .orUpdate(['title'], ['name'])
      .execute();
  });
}

/** The stored search spaces, by name. */
export function listStoredSpaces(dataSource: DataSource): Promise<SearchSpaceEntity[]> {
  return dataSource.getRepository(SearchSpaceEntity).find({ order: { name: 'ASC' } });
}
