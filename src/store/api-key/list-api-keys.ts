import type { EntityManager } from 'typeorm';
import { ApiKeyEntity } from '../entity/api-key.entity';
import { hydrate } from '../hydrate';
import { API_KEY_INFO_COLUMNS, type ApiKeyInfo } from './api-key-info';

/** Every key, revoked ones included, oldest first; never selects the hash. */
export async function listApiKeys(manager: EntityManager): Promise<ApiKeyInfo[]> {
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT ${API_KEY_INFO_COLUMNS} FROM api_key ORDER BY created_at, id`,
  );
  return hydrate(manager, ApiKeyEntity, rows);
}
