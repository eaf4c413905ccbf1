import { createHash } from 'node:crypto';

/**
 * The stored form of a key: hex sha256 of the whole key string.
 *
 * A fast unsalted hash is enough here because keys are 256-bit random secrets, not passwords: nobody can enumerate
 * 2^256 candidates however cheap each guess is, so bcrypt/argon2's deliberate slowness and per-row salt buy nothing.
 * Being deterministic, it also lets a request find its key through the unique index on `key_hash` in one lookup.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
