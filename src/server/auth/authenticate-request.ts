import { timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '../../core';
import { findActiveApiKeyByHash, hashApiKey } from '../../store/api-key';
import type { ApiKeyCache } from './api-key-cache';
import type { RequestAuth } from './request-auth.type';

/** Options of {@link authenticateRequest}. */
export interface AuthenticateRequestOptions {
  /** Where keys are looked up. */
  manager: EntityManager;
  /** The raw `Authorization` header, undefined when absent. */
  authorization: string | undefined;
  /** This server start's local admin token (published in the PGlite folder's lock file), if any. */
  localAdminToken?: string;
  /** The peer's IP address: the local token counts only from loopback. */
  remoteAddress?: string;
  /** Where active keys are kept between requests; without, every request looks its key up. */
  keys?: ApiKeyCache;
}

/** Name the local admin token acts under (in logs and `requestedBy`). */
export const LOCAL_ADMIN = 'local-cli';

const loopback = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Resolves the request's API key, once per request and with no cache, so a revoked key fails on its next request.
 * No header: anonymous (null), which reads allow. A header that is malformed, unknown or revoked fails the whole
 * request with UNAUTHENTICATED (HTTP 401), reads included, so a misconfigured client notices at once instead of
 * silently reading anonymously. Thrown as a GraphQLError because Apollo re-codes anything else thrown while building
 * the context as INTERNAL_SERVER_ERROR with HTTP 500.
 */
export async function authenticateRequest(options: AuthenticateRequestOptions): Promise<RequestAuth | null> {
  if (options.authorization === undefined) return null;
  const key = bearer.exec(options.authorization)?.[1];
  if (key === undefined) throw unauthenticated('the Authorization header must be "Bearer KEY"', 'MALFORMED');
  // The CLI on this machine reads the token from the 0600 lock file to act through the server (issue 16, defect 1).
  if (
    options.localAdminToken !== undefined &&
    loopback.test(options.remoteAddress ?? '') &&
    sameSecret(key, options.localAdminToken)
  ) {
    return { keyName: LOCAL_ADMIN, role: 'admin', isLocal: true };
  }
  const hash = hashApiKey(key);
  const found = await (options.keys
    ? options.keys.find(options.manager, hash)
    : findActiveApiKeyByHash(options.manager, hash));
  if (found === null) throw unauthenticated('the API key is unknown or revoked', 'INVALID_KEY');
  return { keyName: found.name, role: found.role };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function unauthenticated(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      reason,
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) },
    },
  });
}
