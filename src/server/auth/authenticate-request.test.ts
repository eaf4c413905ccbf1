import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { authenticateRequest, LOCAL_ADMIN } from './authenticate-request';

// No stored key matches: every bearer that is not the local token is an unknown key.
const manager = { query: async () => [] } as unknown as EntityManager;
const token = 'local-token-of-this-start';

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'no error',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );
}

describe('authenticateRequest with a local admin token', () => {
  it('makes the token an admin from loopback (IPv4, IPv6, IPv4-mapped)', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const auth = await authenticateRequest({
        manager,
        authorization: `Bearer ${token}`,
        localAdminToken: token,
        remoteAddress,
      });
      expect(auth, remoteAddress).toEqual({ keyName: LOCAL_ADMIN, role: 'admin', isLocal: true });
    }
  });

  it('refuses the token from any other address, a wrong token, and the token when the server has none', async () => {
    expect(
      await codeOf(
        authenticateRequest({
          manager,
          authorization: `Bearer ${token}`,
          localAdminToken: token,
          remoteAddress: '10.0.0.2',
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(
      await codeOf(
        authenticateRequest({
          manager,
          authorization: `Bearer ${token}x`,
          localAdminToken: token,
          remoteAddress: '127.0.0.1',
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(
      await codeOf(authenticateRequest({ manager, authorization: `Bearer ${token}`, remoteAddress: '127.0.0.1' })),
    ).toBe('UNAUTHENTICATED');
  });
});
