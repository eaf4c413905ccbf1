import type { ApiKeyEntity } from '../entity/api-key.entity';

/** What may be shown about a key: never the secret, never its hash. `revokedAt` is null while it works. */
export type ApiKeyInfo = Pick<ApiKeyEntity, 'name' | 'role' | 'createdAt' | 'revokedAt'>;

/** The columns of {@link ApiKeyInfo}, for hand-written SQL read back with `hydrate(manager, ApiKeyEntity, rows)`. */
export const API_KEY_INFO_COLUMNS = 'name, role, created_at, revoked_at';
