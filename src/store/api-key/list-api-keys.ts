import type { EntityManager } from 'typeorm';
import { toApiKeyInfo, type ApiKeyInfo, type ApiKeyInfoRow } from './api-key-info';

/** Every key, revoked ones included, oldest first; never selects the hash. */
export async function listApiKeys(manager: EntityManager): Promise<ApiKeyInfo[]> {
  const rows: ApiKeyInfoRow[] = await manager.query('SELECT name, role, created_at, revoked_at FROM api_key ORDER BY created_at, id');
  return rows.map(toApiKeyInfo);
}
