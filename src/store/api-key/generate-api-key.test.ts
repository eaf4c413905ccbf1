import { describe, expect, it } from 'vitest';
import { generateApiKey } from './generate-api-key';
import { hashApiKey } from './hash-api-key';

describe('API key secrets', () => {
  it('are nh_ + 43 base64url characters (32 bytes), distinct, and hash to 64 hex digits', () => {
    const keys = Array.from({ length: 100 }, generateApiKey);
    for (const key of keys) expect(key).toMatch(/^nh_[A-Za-z0-9_-]{43}$/);
    expect(new Set(keys).size).toBe(100);
    expect(hashApiKey(keys[0])).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(keys[0])).toBe(hashApiKey(`${keys[0]}`));
    expect(hashApiKey(keys[0])).not.toBe(hashApiKey(keys[1]));
  });
});
