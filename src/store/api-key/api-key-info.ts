import type { ApiKeyRoleValue } from '../entity/api-key.entity';

/** What may be shown about a key: never the secret, never its hash. */
export interface ApiKeyInfo {
  name: string;
  role: ApiKeyRoleValue;
  createdAt: Date;
  /** When it stopped working; null while active. */
  revokedAt: Date | null;
}

/** A row of `api_key` as the store functions select it. */
export interface ApiKeyInfoRow {
  name: string;
  role: ApiKeyRoleValue;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

/** Maps a selected row to {@link ApiKeyInfo} (PGlite and pg both return timestamptz as Date; strings are tolerated). */
export function toApiKeyInfo(row: ApiKeyInfoRow): ApiKeyInfo {
  return {
    name: row.name,
    role: row.role,
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}
