import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError, checkName, echoName } from '../../core';
import { ApiKeyEntity } from '../entity/api-key.entity';
import { hydrate } from '../hydrate';
import { API_KEY_INFO_COLUMNS, type ApiKeyInfo } from './api-key-info';

/** What {@link revokeApiKey} did. */
export interface RevokedApiKey {
  info: ApiKeyInfo;
  /** False when the key was already revoked; its first revocation time is kept. */
  revokedNow: boolean;
}

/**
 * Revokes a key by name; the next request that carries it fails with UNAUTHENTICATED. Revoking twice is a no-op;
 * an unknown name is NOT_FOUND.
 */
export async function revokeApiKey(manager: EntityManager, name: string): Promise<RevokedApiKey> {
  // A string no key can be named (NUL, say) is refused before PostgreSQL refuses it as text.
  checkName(name, { field: 'name' });
  // One SELECT-shaped statement: TypeORM answers a bare UPDATE with [rows, count] on pg but with rows on PGlite (whose
  // results carry no command tag). Both halves read the same snapshot, so exactly one of them matches a stored name.
  const rows: Array<Record<string, unknown> & { revoked_now: boolean }> = await manager.query(
    `WITH revoked AS (
       UPDATE api_key SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL
       RETURNING ${API_KEY_INFO_COLUMNS}
     )
     SELECT ${API_KEY_INFO_COLUMNS}, true AS revoked_now FROM revoked
     UNION ALL
     SELECT ${API_KEY_INFO_COLUMNS}, false FROM api_key WHERE name = $1 AND revoked_at IS NOT NULL`,
    [name],
  );
  if (rows.length === 0)
    throw new NashubError(ErrorCode.NOT_FOUND, `no API key named "${echoName(name)}"`, {
      details: { field: 'name', name: echoName(name) },
    });
  return { info: hydrate(manager, ApiKeyEntity, rows)[0], revokedNow: rows[0].revoked_now };
}
