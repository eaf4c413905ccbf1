import type { EntityManager } from 'typeorm';
import type { ApiKeyRoleValue } from '../entity/api-key.entity';

/** The channel every change to an API key NOTIFYs at commit (migration ApiKeyChanges). */
export const API_KEY_CHANNEL = 'nashub_api_key';

/** The identity an active key grants. */
export interface ActiveApiKey {
  name: string;
  role: ApiKeyRoleValue;
}

/** The unrevoked key with this hash (see `hashApiKey`), or null; one indexed lookup, nothing cached. */
export async function findActiveApiKeyByHash(manager: EntityManager, keyHash: string): Promise<ActiveApiKey | null> {
  const rows: ActiveApiKey[] = await manager.query(
    'SELECT name, role FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL',
    [keyHash],
  );
  return rows[0] ?? null;
}
