import { randomBytes } from 'node:crypto';

/** Prefix of every key, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'nh_';

/** A new secret key: `nh_` + 32 random bytes in base64url (43 characters). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}
