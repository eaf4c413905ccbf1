import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError, checkName, echoName } from '../../core';
import { ApiKeyEntity } from '../entity/api-key.entity';
import { hydrate } from '../hydrate';
import { API_KEY_INFO_COLUMNS, type ApiKeyInfo } from './api-key-info';
import { generateApiKey } from './generate-api-key';
import { hashApiKey } from './hash-api-key';
import { parseApiKeyRole } from './parse-api-key-role';

/** Options of {@link createApiKey}. */
export interface CreateApiKeyOptions {
  /** Unique, human-chosen label (who or what holds the key); revoked keys keep theirs. */
  name: string;
  /** `publisher`, `trainer` or `admin`; anything else is INVALID_ARGUMENT. */
  role: string;
}

/** A new key: the secret, which exists only in this value, and what is stored about it. */
export interface CreatedApiKey {
  key: string;
  info: ApiKeyInfo;
}

/** Stores a new key's hash and role; the secret is returned once and never stored. CONFLICT when the name is taken. */
export async function createApiKey(manager: EntityManager, options: CreateApiKeyOptions): Promise<CreatedApiKey> {
  // Stored exactly as given or refused (the one name rule): a trimmed copy would not match the name `keys revoke` gets.
  const name = checkName(options.name, { field: 'name' });
  const role = parseApiKeyRole(options.role);
  const key = generateApiKey();
  const rows: Record<string, unknown>[] = await manager.query(
    `INSERT INTO api_key (name, key_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING
     RETURNING ${API_KEY_INFO_COLUMNS}`,
    [name, hashApiKey(key), role],
  );
  if (rows.length === 0) {
    throw new NashubError(
      ErrorCode.CONFLICT,
      `an API key named "${echoName(name)}" already exists (names stay taken after revocation)`,
      {
        details: { field: 'name', name },
      },
    );
  }
  return { key, info: hydrate(manager, ApiKeyEntity, rows)[0] };
}
